package graph

import (
	"github.com/finder-platform/finder/model"
)

// pageRequest checks a list's first and after arguments.
func pageRequest(first *int, after *string) (model.PageRequest, error) {
	p := model.PageRequest{First: model.DefaultPageSize}
	if first != nil {
		p.First = *first
	}
	if p.First < model.MinPageSize || p.First > model.MaxPageSize {
		return p, model.FieldErrorf("first", "must be from %d to %d, not %d", model.MinPageSize, model.MaxPageSize, p.First)
	}
	if after != nil {
		c, err := model.DecodeCursor("after", *after)
		if err != nil {
			return p, err
		}
		p.After = c
	}
	return p, nil
}

// searchFirst checks how many search results were asked for.
func searchFirst(first *int) (int, error) {
	if first == nil {
		return 10, nil
	}
	if *first < model.MinPageSize || *first > model.MaxPageSize {
		return 0, model.FieldErrorf("first", "must be from %d to %d, not %d", model.MinPageSize, model.MaxPageSize, *first)
	}
	return *first, nil
}

// checkText refuses search or filter text longer than model.MaxSearchLen.
func checkText(field, text string) error {
	if len(text) > model.MaxSearchLen {
		return model.FieldErrorf(field, "must be at most %d characters long", model.MaxSearchLen)
	}
	return nil
}

// plausibleSlug bounds slugs looked up, so a huge argument costs nothing.
func plausibleSlug(slug string) bool { return len(slug) <= model.MaxSlugLen }
