# title: Correct a case's lead agency
# description: The case $case is led by $agency: its akg:leadAgency and its awards' akg:recipient move from the extracted body to $agency (the evidence of the extracted one is removed before, by drop-fact.ru).
# param: case
# param: agency
PREFIX akg: <https://w3id.org/adminkg/ontology#>
DELETE { ?award akg:recipient ?old } INSERT { ?award akg:recipient $agency } WHERE {
  $case akg:leadAgency ?old ; akg:award ?award . ?award akg:recipient ?old } ;
DELETE { $case akg:leadAgency ?old } INSERT { $case akg:leadAgency $agency } WHERE { $case akg:leadAgency ?old }
