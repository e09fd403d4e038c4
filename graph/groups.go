package graph

import (
	"github.com/finder-platform/finder/graph/gqlmodel"
	"github.com/finder-platform/finder/model"
)

// categoryLabels are the headings a role page shows above each group.
var categoryLabels = map[model.ToolCategory]string{
	model.CategoryProgrammingLanguage: "Programming languages",
	model.CategoryDatabase:            "Databases",
	model.CategoryWebServer:           "Web servers",
	model.CategoryAPIFramework:        "API frameworks",
	model.CategoryFrontendFramework:   "Front-end frameworks",
	model.CategoryMobileFramework:     "Mobile frameworks",
	model.CategoryDevelopmentTool:     "Development tools",
	model.CategoryCloudPlatform:       "Cloud platforms",
	model.CategoryInfrastructure:      "Infrastructure",
	model.CategoryCICD:                "CI/CD",
	model.CategoryTestingFramework:    "Testing frameworks",
	model.CategoryMonitoring:          "Monitoring",
	model.CategoryDataTool:            "Data tools",
	model.CategoryMachineLearning:     "Machine learning",
	model.CategorySecurityTool:        "Security tools",
	model.CategoryDesignTool:          "Design tools",
	model.CategoryCollaboration:       "Collaboration",
	model.CategoryOperatingSystem:     "Operating systems",
	model.CategoryOther:               "Other tools",
}

// groupTools groups tools by category, in the order of model.ToolCategories,
// keeping their order within a group.
func groupTools(tools []*model.Tool) []*gqlmodel.ToolGroup {
	byCategory := map[model.ToolCategory][]*model.Tool{}
	for _, t := range tools {
		byCategory[t.Category] = append(byCategory[t.Category], t)
	}
	groups := []*gqlmodel.ToolGroup{}
	for _, c := range model.ToolCategories {
		if ts := byCategory[c]; len(ts) > 0 {
			groups = append(groups, &gqlmodel.ToolGroup{Category: c, Label: categoryLabels[c], Tools: ts})
		}
	}
	return groups
}
