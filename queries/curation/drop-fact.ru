# title: Remove a fact
# description: Removes the fact ($body $property $value) and the evidence of it (with the evidence's target and selectors); a collaboration with the removed partner goes too.
# param: body
# param: property
# param: value
PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
DELETE { ?sel ?p ?o } WHERE {
  ?ev oa:hasBody $body ; akg:assertedProperty $property ; akg:assertedValue $value ; oa:hasTarget ?t .
  ?t oa:hasSelector ?sel . ?sel ?p ?o } ;
DELETE { ?t ?p ?o } WHERE {
  ?ev oa:hasBody $body ; akg:assertedProperty $property ; akg:assertedValue $value ; oa:hasTarget ?t . ?t ?p ?o } ;
DELETE { ?ev ?p ?o } WHERE { ?ev oa:hasBody $body ; akg:assertedProperty $property ; akg:assertedValue $value ; ?p ?o } ;
DELETE { $body akg:collaboration ?c . ?c ?p ?o } WHERE {
  $body akg:partner $value ; akg:collaboration ?c . ?c prov:agent $value ; ?p ?o FILTER($property = akg:partner) } ;
DELETE { $body $property $value } WHERE { $body $property $value }
