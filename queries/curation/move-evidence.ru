# title: Let a fact's evidence support its new value
# description: The evidence of ($body $property $old) supports ($body $property $new) instead: the document still says the same words, only their value moved (a department whose unit moves under the case's corrected lead agency).
# param: body
# param: property
# param: old
# param: new
PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
DELETE { ?ev akg:assertedValue $old } INSERT { ?ev akg:assertedValue $new } WHERE {
  ?ev a akg:Evidence ; oa:hasBody $body ; akg:assertedProperty $property ; akg:assertedValue $old }
