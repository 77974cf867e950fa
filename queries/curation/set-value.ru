# title: Set one value of a node
# description: $node's $property is $value and nothing else (a curator's correction of an award's rank or grade, a contest's year, a metric's value).
# param: node
# param: property
# param: value
DELETE { $node $property ?old } WHERE { $node $property ?old } ;
INSERT { $node $property $value } WHERE { }
