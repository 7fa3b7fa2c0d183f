using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Core.Eligibility;

/// <summary>The district's choices about which classes count (the <c>roster</c> section) and how their groups are named, applied in the read stage.</summary>
public sealed class RosterRules
{
    /// <summary>Current terms only, every school, no class excluded: the defaults of a configuration without a roster section.</summary>
    public static readonly RosterRules Default = new();

    public ClassTermRule ClassTerms { get; init; } = ClassTermRule.Current;

    public ClassScope Scope { get; init; } = ClassScope.All;

    /// <summary><c>import.groupName</c>: the name each class's group gets, rendered while the classes are read.</summary>
    public GroupNameTemplate GroupNames { get; init; } = GroupNameTemplate.Default;

    public static RosterRules From(RosterSettings settings, ImportSettings? import = null) => new()
    {
        ClassTerms = settings.ClassTerms,
        Scope = new ClassScope(settings.Schools, settings.ExcludeClasses),
        GroupNames = import?.GroupName ?? GroupNameTemplate.Default,
    };
}
