# title: Remove a node
# description: Removes the node $node: every triple about it or pointing at it, and the evidence whose body it is (with the evidence's target and selectors).
# param: node
PREFIX oa: <http://www.w3.org/ns/oa#>
DELETE { ?sel ?p ?o } WHERE { ?ev oa:hasBody $node ; oa:hasTarget ?t . ?t oa:hasSelector ?sel . ?sel ?p ?o } ;
DELETE { ?t ?p ?o } WHERE { ?ev oa:hasBody $node ; oa:hasTarget ?t . ?t ?p ?o } ;
DELETE { ?ev ?p ?o } WHERE { ?ev oa:hasBody $node ; ?p ?o } ;
DELETE { $node ?p ?o } WHERE { $node ?p ?o } ;
DELETE { ?s ?p $node } WHERE { ?s ?p $node }
