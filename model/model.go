// Package model is the Finder Platform's domain vocabulary: the catalog's
// types (roles, tools, learning resources and the links between them), their
// validation, the error codes every client sees, and the context helpers
// shared by the other packages. It imports only the standard library so that
// every other package can depend on it.
package model

import "time"

// Role is a job that exists in tech, with everything a person needs to know
// to decide whether it suits them.
type Role struct {
	ID               string
	Slug             string
	Title            string
	Family           RoleFamily
	Tagline          string
	Description      string
	Skills           []string
	Responsibilities []string
	// ToolIDs lists the role's tools in the order an editor gave them; the
	// tools' own categories group them.
	ToolIDs       []string
	Advantages    []string
	Disadvantages []string
	GoodFit       string
	Conclusion    string
	Salary        *Salary
	ResourceIDs   []string
	// Occupations map the role to official classifications (O*NET-SOC,
	// ISCO-08), so analysts can join Finder with other data.
	Occupations []OccupationMatch
	// Sources are where the role's facts and figures come from.
	Sources []Source
	// ReviewedOn is when an editor last checked the entry.
	ReviewedOn Date
	// Version is 1 when the role is created and rises by one on every change
	// to the role, its links included.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Salary is what a role typically pays, with where the figure comes from.
// Amounts are whole units of Currency per Period.
type Salary struct {
	Currency string
	Period   SalaryPeriod
	// Min and Max are the 10th and 90th percentiles where the source gives
	// them; nil where it does not (BLS caps its top percentiles).
	Min    *int
	Median int
	Max    *int
	Region string
	// Basis is the occupation the figures are for, as the source names it
	// ("Software Developers").
	Basis string
	// Proxy is true when that occupation is broader than the role, so the
	// figures describe the role only approximately.
	Proxy     bool
	Source    string
	SourceURL string
	Year      int
}

// Tool is a language, product or piece of software that roles use.
type Tool struct {
	ID          string
	Slug        string
	Name        string
	Category    ToolCategory
	Description string
	URL         string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// LearningResource is a course, tutorial, podcast, video, book or article
// that teaches a role.
type LearningResource struct {
	ID          string
	Slug        string
	Title       string
	Provider    string
	URL         string
	Kind        ResourceKind
	Free        bool
	Description string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Relation links two roles. It is stored once, in a canonical direction (see
// CanonicalRelation), and read from either end with RelationFrom.
type Relation struct {
	ID        string
	FromID    string
	ToID      string
	Kind      RelationKind
	Note      string
	CreatedAt time.Time
}

// RoleRelation is a Relation as one of its roles sees it: the kind reads
// from that role towards RoleID.
type RoleRelation struct {
	Kind   RelationKind
	Note   string
	RoleID string
}

// CanonicalRelation returns r the one way the store keeps it: PREVIOUS_STEP
// and GENERALIZATION_OF become their inverse the other way round, and a
// symmetric kind runs from the smaller id to the larger.
func CanonicalRelation(r Relation) Relation {
	switch {
	case r.Kind == RelationPreviousStep || r.Kind == RelationGeneralizationOf:
		r.FromID, r.ToID, r.Kind = r.ToID, r.FromID, r.Kind.Inverse()
	case r.Kind.Symmetric() && r.FromID > r.ToID:
		r.FromID, r.ToID = r.ToID, r.FromID
	}
	return r
}

// RelationFrom returns how r reads from the role with id roleID, and false
// when that role is not one of r's ends.
func RelationFrom(r Relation, roleID string) (RoleRelation, bool) {
	switch roleID {
	case r.FromID:
		return RoleRelation{Kind: r.Kind, Note: r.Note, RoleID: r.ToID}, true
	case r.ToID:
		return RoleRelation{Kind: r.Kind.Inverse(), Note: r.Note, RoleID: r.FromID}, true
	}
	return RoleRelation{}, false
}

// PairKey names the unordered pair of roles a relation links: at most one
// relation may link any two roles.
func PairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b
}
