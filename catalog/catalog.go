// Package catalog holds the Finder Platform's own catalog of roles, tools and
// learning resources as YAML files embedded in the binary, and turns them into
// model values with stable ids for seeding an empty database.
//
// The files live under data/: tools.yaml, resources.yaml, and one file per
// role under roles/. Entries name each other by slug; Load checks every
// entry and every reference and fails with a message naming the file and
// field of the first broken one.
package catalog

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/google/uuid"

	"github.com/finder-platform/finder/model"
)

//go:embed data
var embedded embed.FS

// Catalog is a complete, consistent set of entries: every slug is unique and
// every reference resolves.
type Catalog struct {
	Roles     []model.Role
	Tools     []model.Tool
	Resources []model.LearningResource
	Relations []model.Relation
}

// namespace makes seeded ids stable: the same slug gets the same id in every
// database, so seeding twice, or on two instances, writes the same entries.
var namespace = uuid.MustParse("6f1c5a0e-3b7d-4c55-9a61-5f1e2d0c9b11")

// ID returns the stable id of the seeded entry of a kind ("role", "tool",
// "resource" or "relation") with the given key.
func ID(kind, key string) string {
	return uuid.NewSHA1(namespace, []byte(kind+"/"+key)).String()
}

// Load reads and checks the embedded catalog.
func Load() (*Catalog, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return LoadFS(sub)
}

// LoadFS reads and checks a catalog laid out as in data/.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	var l loader
	if err := l.readPublishers(fsys); err != nil {
		return nil, err
	}
	if err := l.readTools(fsys); err != nil {
		return nil, err
	}
	if err := l.readResources(fsys); err != nil {
		return nil, err
	}
	if err := l.readRoles(fsys); err != nil {
		return nil, err
	}
	if err := l.link(); err != nil {
		return nil, err
	}
	// Every role's gaps at once: sourcing a catalog is done role by role,
	// and an editor wants the whole list.
	var gaps []error
	for i, r := range l.cat.Roles {
		if err := l.checkProvenance(r); err != nil {
			gaps = append(gaps, fmt.Errorf("catalog: %s: %w", l.roleFiles[i].file, err))
		}
	}
	if err := errors.Join(gaps...); err != nil {
		return nil, err
	}
	return &l.cat, nil
}

// loader accumulates a catalog while it is read.
type loader struct {
	cat       Catalog
	toolIDs   map[string]string // slug to id
	resIDs    map[string]string
	roleIDs   map[string]string
	roleFiles []roleFile
	// publishers are the hosts of every publisher the catalog cites, by name.
	publishers map[string][]string
}

func readYAML(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	if err := yaml.UnmarshalWithOptions(data, v, yaml.Strict()); err != nil {
		return fmt.Errorf("catalog: %s: %s", name, strings.TrimSpace(yaml.FormatError(err, false, true)))
	}
	return nil
}

func entryError(file string, i int, slug string, err error) error {
	return fmt.Errorf("catalog: %s: entry %d (%q): %w", file, i, slug, err)
}

func (l *loader) readTools(fsys fs.FS) error {
	var tools []toolFile
	if err := readYAML(fsys, "tools.yaml", &tools); err != nil {
		return err
	}
	l.toolIDs = make(map[string]string, len(tools))
	for i, t := range tools {
		in := t.input()
		if err := in.Validate(); err != nil {
			return entryError("tools.yaml", i, t.Slug, err)
		}
		if l.toolIDs[t.Slug] != "" {
			return entryError("tools.yaml", i, t.Slug, errors.New("slug is used twice"))
		}
		id := ID("tool", t.Slug)
		l.toolIDs[t.Slug] = id
		l.cat.Tools = append(l.cat.Tools, model.Tool{
			ID: id, Slug: in.Slug, Name: in.Name, Category: in.Category,
			Description: in.Description, URL: in.URL, Version: 1,
		})
	}
	return nil
}

func (l *loader) readResources(fsys fs.FS) error {
	var resources []resourceFile
	if err := readYAML(fsys, "resources.yaml", &resources); err != nil {
		return err
	}
	l.resIDs = make(map[string]string, len(resources))
	for i, r := range resources {
		in := r.input()
		if err := in.Validate(); err != nil {
			return entryError("resources.yaml", i, r.Slug, err)
		}
		if l.resIDs[r.Slug] != "" {
			return entryError("resources.yaml", i, r.Slug, errors.New("slug is used twice"))
		}
		id := ID("resource", r.Slug)
		l.resIDs[r.Slug] = id
		l.cat.Resources = append(l.cat.Resources, model.LearningResource{
			ID: id, Slug: in.Slug, Title: in.Title, Provider: in.Provider, URL: in.URL,
			Kind: in.Kind, Free: in.Free, Description: in.Description, Version: 1,
		})
	}
	return nil
}

func (l *loader) readRoles(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "roles/*.yaml")
	if err != nil {
		return err
	}
	l.roleIDs = make(map[string]string, len(names))
	for _, name := range names {
		var rf roleFile
		if err := readYAML(fsys, name, &rf); err != nil {
			return err
		}
		rf.file = name
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); rf.Slug != want {
			return fmt.Errorf("catalog: %s: slug %q must match the file name %q", name, rf.Slug, want)
		}
		l.roleIDs[rf.Slug] = ID("role", rf.Slug)
		l.roleFiles = append(l.roleFiles, rf)
	}
	return nil
}

// link resolves every role's references now that every slug is known.
func (l *loader) link() error {
	pairs := map[string]string{} // pair key to the file that declared it
	for _, rf := range l.roleFiles {
		in := rf.input()
		if err := in.Validate(); err != nil {
			return fmt.Errorf("catalog: %s: %w", rf.file, err)
		}
		role, err := l.role(rf, in)
		if err != nil {
			return fmt.Errorf("catalog: %s: %w", rf.file, err)
		}
		l.cat.Roles = append(l.cat.Roles, role)
		for i, rel := range rf.Related {
			r, err := l.relation(role, rel, fmt.Sprintf("related[%d]", i))
			if err != nil {
				return fmt.Errorf("catalog: %s: %w", rf.file, err)
			}
			key := model.PairKey(r.FromID, r.ToID)
			if other, ok := pairs[key]; ok {
				return fmt.Errorf("catalog: %s: related[%d]: %q is already related to %q in %s; declare each pair once", rf.file, i, rel.Role, rf.Slug, other)
			}
			pairs[key] = rf.file
			l.cat.Relations = append(l.cat.Relations, r)
		}
	}
	return nil
}

func (l *loader) role(rf roleFile, in model.RoleInput) (model.Role, error) {
	toolIDs, err := resolve(l.toolIDs, in.ToolSlugs, "tools", "tool")
	if err != nil {
		return model.Role{}, err
	}
	resIDs, err := resolve(l.resIDs, in.LearningResourceSlugs, "learningResources", "learning resource")
	if err != nil {
		return model.Role{}, err
	}
	return model.Role{
		ID: l.roleIDs[in.Slug], Slug: in.Slug, Title: in.Title, Family: in.Family,
		Tagline: in.Tagline, Description: in.Description,
		Skills: in.Skills, Responsibilities: in.Responsibilities, ToolIDs: toolIDs,
		Advantages: in.Advantages, Disadvantages: in.Disadvantages,
		GoodFit: in.GoodFit, Conclusion: in.Conclusion, Salary: in.Salary,
		ResourceIDs: resIDs, Occupations: in.Occupations, Sources: in.Sources,
		ReviewedOn: deref(in.ReviewedOn), Version: 1,
	}, nil
}

func (l *loader) relation(role model.Role, rel relatedFile, field string) (model.Relation, error) {
	in := model.RelationInput{From: role.Slug, To: rel.Role, Kind: rel.Kind, Note: rel.Note}
	if err := in.Validate(); err != nil {
		return model.Relation{}, model.Prefix(field, err)
	}
	toID, ok := l.roleIDs[rel.Role]
	if !ok {
		return model.Relation{}, fmt.Errorf("%s.role: no role has the slug %q", field, rel.Role)
	}
	r := model.CanonicalRelation(model.Relation{FromID: role.ID, ToID: toID, Kind: rel.Kind, Note: in.Note})
	r.ID = ID("relation", model.PairKey(r.FromID, r.ToID))
	return r, nil
}

func deref(d *model.Date) model.Date {
	if d == nil {
		return ""
	}
	return *d
}

// resolve maps slugs to ids, failing on the first unknown one.
func resolve(ids map[string]string, slugs []string, field, what string) ([]string, error) {
	out := make([]string, 0, len(slugs))
	for i, s := range slugs {
		id, ok := ids[s]
		if !ok {
			return nil, fmt.Errorf("%s[%d]: no %s has the slug %q", field, i, what, s)
		}
		out = append(out, id)
	}
	return slices.Clip(out), nil
}
