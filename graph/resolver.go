package graph

import (
	"github.com/finder-platform/finder/model"
)

// Resolver answers the schema. Root fields read the catalog through Reader;
// nested fields go through the request's loaders (loaders.For); mutations
// go through Writer.
type Resolver struct {
	Reader model.CatalogReader
	Writer model.CatalogWriter
}
