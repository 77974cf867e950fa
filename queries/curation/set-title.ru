# title: Correct a case's title
# description: The case $case is called $title (a Korean literal); the extracted title's evidence stays, as the document does say it.
# param: case
# param: title
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE { $case dcterms:title ?old } WHERE { $case dcterms:title ?old } ;
INSERT { $case dcterms:title $title } WHERE { }
