package model

import "slices"

// RoleFamily groups roles by the part of the field they work in.
type RoleFamily string

// The role families.
const (
	FamilyEngineering    RoleFamily = "ENGINEERING"
	FamilyData           RoleFamily = "DATA"
	FamilyInfrastructure RoleFamily = "INFRASTRUCTURE"
	FamilySecurity       RoleFamily = "SECURITY"
	FamilyQuality        RoleFamily = "QUALITY"
	FamilyDesign         RoleFamily = "DESIGN"
	FamilyProduct        RoleFamily = "PRODUCT"
	FamilyManagement     RoleFamily = "MANAGEMENT"
	FamilyEmerging       RoleFamily = "EMERGING"
)

// RoleFamilies lists every RoleFamily in display order.
var RoleFamilies = []RoleFamily{
	FamilyEngineering, FamilyData, FamilyInfrastructure, FamilySecurity,
	FamilyQuality, FamilyDesign, FamilyProduct, FamilyManagement, FamilyEmerging,
}

// Valid reports whether f is one of RoleFamilies.
func (f RoleFamily) Valid() bool { return slices.Contains(RoleFamilies, f) }

// ToolCategory is the kind of thing a tool is; a role's tools are grouped by it.
type ToolCategory string

// The tool categories.
const (
	CategoryProgrammingLanguage ToolCategory = "PROGRAMMING_LANGUAGE"
	CategoryDatabase            ToolCategory = "DATABASE"
	CategoryWebServer           ToolCategory = "WEB_SERVER"
	CategoryAPIFramework        ToolCategory = "API_FRAMEWORK"
	CategoryFrontendFramework   ToolCategory = "FRONTEND_FRAMEWORK"
	CategoryMobileFramework     ToolCategory = "MOBILE_FRAMEWORK"
	CategoryDevelopmentTool     ToolCategory = "DEVELOPMENT_TOOL"
	CategoryCloudPlatform       ToolCategory = "CLOUD_PLATFORM"
	CategoryInfrastructure      ToolCategory = "INFRASTRUCTURE"
	CategoryCICD                ToolCategory = "CI_CD"
	CategoryTestingFramework    ToolCategory = "TESTING_FRAMEWORK"
	CategoryMonitoring          ToolCategory = "MONITORING"
	CategoryDataTool            ToolCategory = "DATA_TOOL"
	CategoryMachineLearning     ToolCategory = "MACHINE_LEARNING"
	CategorySecurityTool        ToolCategory = "SECURITY_TOOL"
	CategoryDesignTool          ToolCategory = "DESIGN_TOOL"
	CategoryCollaboration       ToolCategory = "COLLABORATION"
	CategoryOperatingSystem     ToolCategory = "OPERATING_SYSTEM"
	CategoryOther               ToolCategory = "OTHER"
)

// ToolCategories lists every ToolCategory in display order.
var ToolCategories = []ToolCategory{
	CategoryProgrammingLanguage, CategoryDatabase, CategoryWebServer,
	CategoryAPIFramework, CategoryFrontendFramework, CategoryMobileFramework,
	CategoryDevelopmentTool, CategoryCloudPlatform, CategoryInfrastructure,
	CategoryCICD, CategoryTestingFramework, CategoryMonitoring, CategoryDataTool,
	CategoryMachineLearning, CategorySecurityTool, CategoryDesignTool,
	CategoryCollaboration, CategoryOperatingSystem, CategoryOther,
}

// Valid reports whether c is one of ToolCategories.
func (c ToolCategory) Valid() bool { return slices.Contains(ToolCategories, c) }

// ResourceKind is the form a learning resource takes.
type ResourceKind string

// The kinds of learning resource.
const (
	ResourceCourse   ResourceKind = "COURSE"
	ResourceTutorial ResourceKind = "TUTORIAL"
	ResourcePodcast  ResourceKind = "PODCAST"
	ResourceVideo    ResourceKind = "VIDEO"
	ResourceBook     ResourceKind = "BOOK"
	ResourceArticle  ResourceKind = "ARTICLE"
	ResourceDocs     ResourceKind = "DOCUMENTATION"
	ResourceCert     ResourceKind = "CERTIFICATION"
)

// ResourceKinds lists every ResourceKind.
var ResourceKinds = []ResourceKind{
	ResourceCourse, ResourceTutorial, ResourcePodcast, ResourceVideo,
	ResourceBook, ResourceArticle, ResourceDocs, ResourceCert,
}

// Valid reports whether k is one of ResourceKinds.
func (k ResourceKind) Valid() bool { return slices.Contains(ResourceKinds, k) }

// RelationKind says how two roles relate.
type RelationKind string

// The kinds of relation between roles.
const (
	RelationCollaboratesWith RelationKind = "COLLABORATES_WITH"
	RelationOverlapsWith     RelationKind = "OVERLAPS_WITH"
	RelationNextStep         RelationKind = "NEXT_STEP"
	RelationPreviousStep     RelationKind = "PREVIOUS_STEP"
	RelationSpecializationOf RelationKind = "SPECIALIZATION_OF"
	RelationGeneralizationOf RelationKind = "GENERALIZATION_OF"
)

// RelationKinds lists every RelationKind.
var RelationKinds = []RelationKind{
	RelationCollaboratesWith, RelationOverlapsWith, RelationNextStep,
	RelationPreviousStep, RelationSpecializationOf, RelationGeneralizationOf,
}

// Valid reports whether k is one of RelationKinds.
func (k RelationKind) Valid() bool { return slices.Contains(RelationKinds, k) }

// Symmetric reports whether k reads the same from both ends.
func (k RelationKind) Symmetric() bool {
	return k == RelationCollaboratesWith || k == RelationOverlapsWith
}

// Inverse returns how a relation of kind k reads from its other end.
func (k RelationKind) Inverse() RelationKind {
	switch k {
	case RelationNextStep:
		return RelationPreviousStep
	case RelationPreviousStep:
		return RelationNextStep
	case RelationSpecializationOf:
		return RelationGeneralizationOf
	case RelationGeneralizationOf:
		return RelationSpecializationOf
	}
	return k
}

// SalaryPeriod is the span of time a salary figure covers.
type SalaryPeriod string

// The salary periods.
const (
	PeriodYear  SalaryPeriod = "YEAR"
	PeriodMonth SalaryPeriod = "MONTH"
	PeriodHour  SalaryPeriod = "HOUR"
)

// Valid reports whether p is a known SalaryPeriod.
func (p SalaryPeriod) Valid() bool {
	return p == PeriodYear || p == PeriodMonth || p == PeriodHour
}
