# title: Replace a fact's value
# description: The case $body's $property is $new, not $old (a curator's correction of a department, technology, partner or beneficiary): the triple changes, and for a partner its collaboration's agent too (the collaboration keeps its kind). drop-fact.ru then removes the evidence of $old; move-evidence.ru instead keeps it for $new (a department that moves under a corrected agency).
# param: body
# param: property
# param: old
# param: new
PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
DELETE { ?c prov:agent $old } INSERT { ?c prov:agent $new } WHERE {
  $body akg:collaboration ?c . ?c prov:agent $old FILTER($property = akg:partner) } ;
DELETE { $body $property $old } INSERT { $body $property $new } WHERE { $body $property $old }
