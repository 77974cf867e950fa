# title: Merge a duplicate case into another
# description: The case $duplicate is the case $into told again: its sources, facts, awards and evidence move to $into (which keeps its own title, lead agency and year), and $duplicate owl:sameAs $into is kept so that links to it still resolve.
# param: duplicate
# param: into
PREFIX akg: <https://w3id.org/adminkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
DELETE { $duplicate ?p ?o } INSERT { $into ?p ?o } WHERE {
  $duplicate ?p ?o FILTER(?p NOT IN (rdf:type, dcterms:title, akg:leadAgency, akg:year)) } ;
DELETE { $duplicate ?p ?o } WHERE { $duplicate ?p ?o } ;
DELETE { ?s ?p $duplicate } INSERT { ?s ?p $into } WHERE { ?s ?p $duplicate } ;
INSERT { $duplicate owl:sameAs $into } WHERE { }
