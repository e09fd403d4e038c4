// Package graph is the Finder Platform's GraphQL API: the schema in schema/,
// the code gqlgen generates from it in generated/, and the resolvers that
// answer it from the store and the request's loaders.
package graph

//go:generate sh -c "cd .. && go tool gqlgen generate"
