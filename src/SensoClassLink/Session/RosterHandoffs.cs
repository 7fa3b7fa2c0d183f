using System;
using System.Runtime.CompilerServices;
using SensoClassLink.Core.Configuration;
using SensoClassLink.Core.Sync;

namespace SensoClassLink.Session;

/// <summary>One <see cref="RosterHandoff"/> per connection, and the key of its roster on a date.</summary>
internal static class RosterHandoffs
{
    private static readonly ConditionalWeakTable<ModuleConnection, RosterHandoff> ByConnection = new();

    public static RosterHandoff For(ModuleConnection connection) => ByConnection.GetValue(connection, _ => new RosterHandoff());

    /// <summary>The identity of the connection's roster on <paramref name="asOf"/> (CSV: with its files' sizes and times).</summary>
    public static string KeyFor(ModuleConnection connection, DateTime asOf)
    {
        var classLink = connection.Configuration.ClassLink;
        return classLink.Source == RosterSourceKind.csv
            ? RosterHandoff.KeyOf("csv " + classLink.Csv.Path, classLink.Csv.Path, asOf.Date)
            : RosterHandoff.KeyOf($"{classLink.Source} {classLink.Api.BaseUrl}", null, asOf.Date);
    }
}
