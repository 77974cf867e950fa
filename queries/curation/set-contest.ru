# title: Move an award to the contest of another name
# description: The award $award was won in the contest $contest, named $name (a curator's correction of the contest's name): $contest is made when the graph has no contest of that name yet, taking the year, half-year, round and organiser of the award's former contest; the award then points to it. drop-orphan.ru removes the former contest when no award is left in it.
# param: award
# param: contest
# param: name
PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX schema: <https://schema.org/>
INSERT { $contest ?p ?o } WHERE {
  $award akg:contest ?old . ?old ?p ?o
  FILTER(?p IN (akg:year, akg:halfYear, akg:round, schema:organizer))
  FILTER NOT EXISTS { $contest a akg:Contest } } ;
INSERT { $contest a akg:Contest ; schema:name $name } WHERE { FILTER NOT EXISTS { $contest a akg:Contest } } ;
DELETE { $award akg:contest ?old } INSERT { $award akg:contest $contest } WHERE { $award akg:contest ?old }
