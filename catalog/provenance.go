package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"

	"github.com/finder-platform/finder/model"
)

// The shipped catalog holds itself to more than the API asks of an edit:
// every role says where its facts come from, when they were checked, which
// official occupations it maps to, and how a career reaches it or leads on
// from it. Every link a role cites points at a publisher listed in
// publishers.yaml, over https.

// careerSteps are the relation kinds that make a career path, read from
// either end.
var careerSteps = []model.RelationKind{model.RelationNextStep, model.RelationPreviousStep,
	model.RelationSpecializationOf, model.RelationGeneralizationOf}

// readPublishers reads publishers.yaml into a map of name to hosts.
func (l *loader) readPublishers(fsys fs.FS) error {
	var pubs []publisherFile
	if err := readYAML(fsys, "publishers.yaml", &pubs); err != nil {
		return err
	}
	l.publishers = make(map[string][]string, len(pubs))
	for i, p := range pubs {
		if p.Name == "" || len(p.Hosts) == 0 {
			return entryError("publishers.yaml", i, p.Name, errors.New("needs a name and at least one host"))
		}
		if _, dup := l.publishers[p.Name]; dup {
			return entryError("publishers.yaml", i, p.Name, errors.New("name is used twice"))
		}
		l.publishers[p.Name] = p.Hosts
	}
	return nil
}

// checkProvenance checks a role's sources, codes, review date and career
// links, once every relation is known.
func (l *loader) checkProvenance(r model.Role) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	has := map[model.OccupationSystem]bool{}
	for i, o := range r.Occupations {
		has[o.System] = true
		if !l.citedHost(o.URL, "") {
			fail("occupations[%d].url: %s is not on the host of a publisher in publishers.yaml", i, o.URL)
		}
	}
	for _, sys := range model.OccupationSystems {
		if !has[sys] {
			fail("occupations: needs at least one %s code", sys)
		}
	}
	if len(r.Sources) == 0 {
		fail("sources: needs at least one source for the role's facts")
	}
	for i, s := range r.Sources {
		if _, ok := l.publishers[s.Publisher]; !ok {
			fail("sources[%d].publisher: %q is not in publishers.yaml", i, s.Publisher)
		} else if !l.citedHost(s.URL, s.Publisher) {
			fail("sources[%d].url: %s is not on a host of %s", i, s.URL, s.Publisher)
		}
	}
	if r.ReviewedOn == "" {
		fail("reviewedOn: needs the day the entry was last checked")
	}
	if s := r.Salary; s != nil && !l.citedHost(s.SourceURL, "") {
		fail("salary.sourceUrl: %q is not an https URL on the host of a publisher in publishers.yaml", s.SourceURL)
	}
	if !l.hasCareerStep(r.ID) {
		fail("related: needs at least one career step (NEXT_STEP, PREVIOUS_STEP or SPECIALIZATION_OF), from this role or to it")
	}
	return errors.Join(errs...)
}

// citedHost reports whether u is an https URL on a host of the publisher,
// or of any listed publisher when publisher is empty.
func (l *loader) citedHost(u, publisher string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" {
		return false
	}
	for name, hosts := range l.publishers {
		if (publisher == "" || name == publisher) && slices.Contains(hosts, p.Host) {
			return true
		}
	}
	return false
}

func (l *loader) hasCareerStep(roleID string) bool {
	for _, rel := range l.cat.Relations {
		if (rel.FromID == roleID || rel.ToID == roleID) && slices.Contains(careerSteps, rel.Kind) {
			return true
		}
	}
	return false
}
