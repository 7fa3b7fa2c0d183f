using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Sylvan.Data.Csv;

namespace SensoClassLink.Core.OneRoster;

/// <summary>Reads a OneRoster 1.1 CSV bulk export from a folder, streaming each file row by row.</summary>
public sealed class CsvRosterSource : IRosterSource
{
    private readonly string _folder;
    private readonly RosterReadObserver _observer;

    public CsvRosterSource(string folder, RosterReadObserver? observer = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new RosterReadException($"The OneRoster CSV folder '{folder}' does not exist.");
        }
        _folder = folder;
        _observer = observer ?? RosterReadObserver.None;
    }

    public string Description => $"OneRoster CSV folder '{_folder}'";

    public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) =>
        ReadRows("orgs.csv", new[] { "sourcedId", "name", "type" }, cancellationToken, row => new RosterOrg
        {
            SourcedId = row.Get("sourcedId"),
            Status = row.Get("status"),
            Name = row.Get("name"),
            Type = row.Get("type"),
            ParentSourcedId = row.Get("parentSourcedId"),
        });

    public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) =>
        ReadRows("users.csv", new[] { "sourcedId", "role", "email" }, cancellationToken, row => new RosterUser
        {
            SourcedId = row.Get("sourcedId"),
            Status = row.Get("status"),
            EnabledUser = row.Get("enabledUser"),
            Roles = new[] { row.Get("role").Trim().ToLowerInvariant() },
            OrgSourcedIds = SplitList(row.Get("orgSourcedIds")),
            Username = row.Get("username"),
            GivenName = row.Get("givenName"),
            FamilyName = row.Get("familyName"),
            Email = row.Get("email"),
            Identifier = row.Get("identifier"),
        });

    public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) =>
        ReadRows("classes.csv", new[] { "sourcedId", "title", "schoolSourcedId" }, cancellationToken, row => new RosterClass
        {
            SourcedId = row.Get("sourcedId"),
            Status = row.Get("status"),
            Title = row.Get("title"),
            ClassCode = row.Get("classCode"),
            SchoolSourcedId = row.Get("schoolSourcedId"),
            CourseSourcedId = row.Get("courseSourcedId"),
        });

    public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) =>
        ReadRows("enrollments.csv", new[] { "sourcedId", "classSourcedId", "userSourcedId", "role" }, cancellationToken, row => new RosterEnrollment
        {
            SourcedId = row.Get("sourcedId"),
            Status = row.Get("status"),
            ClassSourcedId = row.Get("classSourcedId"),
            SchoolSourcedId = row.Get("schoolSourcedId"),
            UserSourcedId = row.Get("userSourcedId"),
            Role = row.Get("role").Trim().ToLowerInvariant(),
            BeginDate = row.Get("beginDate"),
            EndDate = row.Get("endDate"),
        });

    public void Dispose()
    {
    }

    private IEnumerable<T> ReadRows<T>(string fileName, string[] requiredHeaders, CancellationToken cancellationToken, Func<CsvRow, T> map)
    {
        string path = Path.Combine(_folder, fileName);
        if (!File.Exists(path))
        {
            throw new RosterReadException($"The OneRoster CSV file '{path}' is missing.");
        }
        using var reader = CsvDataReader.Create(path, new CsvDataReaderOptions { HeaderComparer = StringComparer.Ordinal });
        var row = new CsvRow(reader);
        var missing = requiredHeaders.Where(h => !row.HasColumn(h)).ToList();
        if (missing.Count > 0)
        {
            throw new RosterReadException($"The OneRoster CSV file '{path}' has no column {string.Join(", ", missing.Select(m => "'" + m + "'"))}.");
        }
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return map(row);
        }
    }

    private static IReadOnlyList<string> SplitList(string value) =>
        value.Length == 0
            ? Array.Empty<string>()
            : value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

    /// <summary>Header-name access to the current row; a column the file lacks reads as blank.</summary>
    private sealed class CsvRow
    {
        private readonly CsvDataReader _reader;
        private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);

        public CsvRow(CsvDataReader reader)
        {
            _reader = reader;
            for (int i = 0; i < reader.FieldCount; i++)
            {
                _ordinals[reader.GetName(i)] = i;
            }
        }

        public bool HasColumn(string name) => _ordinals.ContainsKey(name);

        public string Get(string name) =>
            _ordinals.TryGetValue(name, out int ordinal) && ordinal < _reader.RowFieldCount ? _reader.GetString(ordinal) : "";
    }
}
