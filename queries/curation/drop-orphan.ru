# title: Remove a node nothing refers to any more
# description: Removes $node (a department's unit, a partner or a contest a correction left behind) with the evidence whose body it is, but only when no triple refers to it other than an annotation's (oa:hasBody, akg:assertedValue, akg:correctedValue): a unit another case names, or a contest with another award, stays.
# param: node
PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
DELETE { ?sel ?p ?o } WHERE {
  FILTER NOT EXISTS { ?s ?q $node FILTER(?q NOT IN (oa:hasBody, akg:assertedValue, akg:correctedValue)) }
  ?ev a akg:Evidence ; oa:hasBody $node ; oa:hasTarget ?t . ?t oa:hasSelector ?sel . ?sel ?p ?o } ;
DELETE { ?t ?p ?o } WHERE {
  FILTER NOT EXISTS { ?s ?q $node FILTER(?q NOT IN (oa:hasBody, akg:assertedValue, akg:correctedValue)) }
  ?ev a akg:Evidence ; oa:hasBody $node ; oa:hasTarget ?t . ?t ?p ?o } ;
DELETE { ?ev ?p ?o } WHERE {
  FILTER NOT EXISTS { ?s ?q $node FILTER(?q NOT IN (oa:hasBody, akg:assertedValue, akg:correctedValue)) }
  ?ev a akg:Evidence ; oa:hasBody $node ; ?p ?o } ;
DELETE { $node ?p ?o } WHERE {
  FILTER NOT EXISTS { ?s ?q $node FILTER(?q NOT IN (oa:hasBody, akg:assertedValue, akg:correctedValue)) }
  $node ?p ?o }
