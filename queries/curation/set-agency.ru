# title: Correct a case's lead agency
# description: The case $case is led by $agency, not by $old: its akg:leadAgency and its awards' akg:recipient move from $old to $agency (drop-fact.ru then removes the evidence of $old).
# param: case
# param: old
# param: agency
PREFIX akg: <https://w3id.org/adminkg/ontology#>
DELETE { ?award akg:recipient $old } INSERT { ?award akg:recipient $agency } WHERE {
  $case akg:award ?award . ?award akg:recipient $old } ;
DELETE { $case akg:leadAgency $old } WHERE { $case akg:leadAgency $old } ;
INSERT { $case akg:leadAgency $agency } WHERE { }
