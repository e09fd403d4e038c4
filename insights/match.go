package insights

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/finder-platform/finder/model"
)

// Match ranks the roles a person's tools and skills cover, best first: by
// score (model.RoleMatch), then by how many tools match, then by title.
// Only roles that list one of the tools or hold one of the skills are read
// and scored; the others would score 0 and are left out.
//
// A skill the person names matches a role's skill when every word of it
// starts a word of the role's (so "sql" matches "Strong SQL skills").
func Match(ctx context.Context, r model.CatalogReader, tools []*model.Tool, skills []string, first int) ([]*model.RoleMatch, error) {
	if len(tools) == 0 && len(skills) == 0 {
		return []*model.RoleMatch{}, nil
	}
	candidates, err := candidates(ctx, r, tools, skills)
	if err != nil {
		return nil, err
	}
	known, err := toolsOf(ctx, r, candidates)
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	for _, t := range tools {
		has[t.ID] = true
	}
	queries := make([]model.Query, len(skills))
	for i, s := range skills {
		queries[i] = model.NewQuery(s)
	}
	// Roles share many skills (the same words in many roles): each skill's
	// text is matched once.
	skillMatched := map[string]bool{}
	out := []*model.RoleMatch{}
	for _, role := range candidates {
		m := &model.RoleMatch{Role: role, MatchedTools: []*model.Tool{}, MissingTools: []*model.Tool{}, MatchedSkills: []string{}}
		for _, id := range role.ToolIDs {
			switch t := known[id]; {
			case t == nil:
			case has[id]:
				m.MatchedTools = append(m.MatchedTools, t)
			default:
				m.MissingTools = append(m.MissingTools, t)
			}
		}
		for _, s := range role.Skills {
			matched, known := skillMatched[s]
			if !known {
				matched = matchesAny(queries, s)
				skillMatched[s] = matched
			}
			if matched {
				m.MatchedSkills = append(m.MatchedSkills, s)
			}
		}
		m.Score = score(len(m.MatchedTools), len(m.MatchedTools)+len(m.MissingTools), len(m.MatchedSkills), len(role.Skills), len(skills) > 0)
		if m.Score > 0 {
			out = append(out, m)
		}
	}
	// Titles lowercased once each, not in every comparison: thousands of
	// roles may tie on score.
	type ranked struct {
		m     *model.RoleMatch
		title string
	}
	rs := make([]ranked, len(out))
	for i, m := range out {
		rs[i] = ranked{m, strings.ToLower(m.Role.Title)}
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.m.Score, a.m.Score), cmp.Compare(len(b.m.MatchedTools), len(a.m.MatchedTools)),
			strings.Compare(a.title, b.title), strings.Compare(a.m.Role.Slug, b.m.Role.Slug))
	})
	best := make([]*model.RoleMatch, min(first, len(rs)))
	for i := range best {
		best[i] = rs[i].m
	}
	return best, nil
}

// score is the share of a role's needs that a person covers; skills count
// only when the person named some.
func score(matchedTools, roleTools, matchedSkills, roleSkills int, withSkills bool) float64 {
	have, need := matchedTools, roleTools
	if withSkills {
		have, need = have+matchedSkills, need+roleSkills
	}
	if need == 0 {
		return 0
	}
	return float64(have) / float64(need)
}

func matchesAny(queries []model.Query, skill string) bool {
	key := model.NewSearchKey(skill)
	return slices.ContainsFunc(queries, func(q model.Query) bool {
		_, ok := q.Rank(key)
		return ok
	})
}

// candidates reads the roles that list one of the tools or whose text
// matches one of the skills, each once.
func candidates(ctx context.Context, r model.CatalogReader, tools []*model.Tool, skills []string) ([]*model.Role, error) {
	seen := map[string]*model.Role{}
	var ids []string
	for _, t := range tools {
		ids = append(ids, t.ID)
	}
	if len(ids) > 0 {
		roles, err := r.RolesUsingTools(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i := range roles {
			seen[roles[i].ID] = &roles[i]
		}
	}
	for _, s := range skills {
		// All in one page, not the API's pages of 100: each call matches
		// the text against every role, so paging would repeat that work.
		p := model.PageRequest{First: 1 << 30}
		for {
			page, err := r.ListRoles(ctx, model.RoleFilter{Text: s}, model.RoleOrder{Field: model.OrderByTitle, Direction: model.Asc}, p)
			if err != nil {
				return nil, err
			}
			for i := range page.Items {
				if seen[page.Items[i].ID] == nil {
					seen[page.Items[i].ID] = &page.Items[i]
				}
			}
			if !page.HasNext {
				break
			}
			p.After = &page.Cursors[len(page.Cursors)-1]
		}
	}
	out := make([]*model.Role, 0, len(seen))
	for _, role := range seen {
		out = append(out, role)
	}
	return out, nil
}
