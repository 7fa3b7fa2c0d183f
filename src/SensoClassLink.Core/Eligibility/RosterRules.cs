using SensoClassLink.Core.Configuration;

namespace SensoClassLink.Core.Eligibility;

/// <summary>The district's choices about which classes count, applied in the read stage (the <c>roster</c> section).</summary>
public sealed class RosterRules
{
    /// <summary>Current terms only, every school, no class excluded: the defaults of a configuration without a roster section.</summary>
    public static readonly RosterRules Default = new();

    public ClassTermRule ClassTerms { get; init; } = ClassTermRule.Current;

    public ClassScope Scope { get; init; } = ClassScope.All;

    public static RosterRules From(RosterSettings settings) => new()
    {
        ClassTerms = settings.ClassTerms,
        Scope = new ClassScope(settings.Schools, settings.ExcludeClasses),
    };
}
