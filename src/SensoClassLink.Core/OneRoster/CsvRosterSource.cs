using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using Sylvan.Data.Csv;

namespace SensoClassLink.Core.OneRoster;

/// <summary>
/// Reads a OneRoster 1.1 (or 1.2, when the manifest or roles.csv says so) CSV bulk export from a folder or a .zip,
/// streaming each file row by row. Headers are matched by name (<see cref="CsvHeaderNames"/>); a row that cannot be
/// read becomes a <see cref="DataQualityWarning"/>; a missing required file or column, a delta (change-set) manifest
/// or an export that is not OneRoster is a <see cref="RosterReadException"/>, raised before anything is read.
/// </summary>
public sealed partial class CsvRosterSource : IRosterSource, IPooledRosterSource, ISupportsRoleDates, ISupportsAcademicSessions
{
    /// <summary>The files the reader reads (roles.csv only for 1.2): the ones a delta or absent manifest entry matters for.</summary>
    private static readonly string[] RosterFiles = { "orgs.csv", "users.csv", "classes.csv", "enrollments.csv", "roles.csv" };

    private const int ProgressEveryRecords = 8192;

    private readonly CsvFileSet _files;
    private readonly RosterReadObserver _observer;
    private readonly CsvStringPool _strings = new();

    /// <summary>Per file: which columns share strings through the pool (see <see cref="CsvStringPool"/>).</summary>
    private static readonly Dictionary<string, Dictionary<string, PoolMode>> PoolModes = new(StringComparer.Ordinal)
    {
        ["orgs.csv"] = new(StringComparer.Ordinal) { ["sourcedId"] = PoolMode.Intern, ["status"] = PoolMode.Recent, ["type"] = PoolMode.Recent },
        ["users.csv"] = new(StringComparer.Ordinal)
        {
            ["sourcedId"] = PoolMode.Intern, ["status"] = PoolMode.Recent, ["enabledUser"] = PoolMode.Recent, ["role"] = PoolMode.Recent,
            ["orgSourcedIds"] = PoolMode.Recent, ["primaryOrgSourcedId"] = PoolMode.Recent,
        },
        ["roles.csv"] = new(StringComparer.Ordinal)
        {
            ["userSourcedId"] = PoolMode.Lookup, ["status"] = PoolMode.Recent, ["role"] = PoolMode.Recent, ["orgSourcedId"] = PoolMode.Recent,
        },
        ["classes.csv"] = new(StringComparer.Ordinal)
        {
            ["sourcedId"] = PoolMode.Intern, ["status"] = PoolMode.Recent, ["schoolSourcedId"] = PoolMode.Recent, ["courseSourcedId"] = PoolMode.Recent,
            // A class's term is kept (its id, until the sessions judge it, and then as shown): classes share a few terms.
            ["termSourcedIds"] = PoolMode.Recent,
        },
        ["enrollments.csv"] = new(StringComparer.Ordinal)
        {
            ["classSourcedId"] = PoolMode.Lookup, ["userSourcedId"] = PoolMode.Lookup, ["status"] = PoolMode.Recent, ["schoolSourcedId"] = PoolMode.Recent,
            ["role"] = PoolMode.Recent, ["primary"] = PoolMode.Recent, ["beginDate"] = PoolMode.Recent, ["endDate"] = PoolMode.Recent,
        },
    };

    /// <summary>The engine's enrollment fast path needs only the pool ids of the user and class references, not strings.</summary>
    private static readonly Dictionary<string, PoolMode> EnrollmentRowPoolModes = new(PoolModes["enrollments.csv"], StringComparer.Ordinal)
    {
        ["classSourcedId"] = PoolMode.IdOnly,
        ["userSourcedId"] = PoolMode.IdOnly,
    };

    /// <summary>The engine's users fast path keeps no string for a user's sourcedId, so the pool keeps only its characters.</summary>
    private static readonly Dictionary<string, PoolMode> UserRowPoolModes = new(PoolModes["users.csv"], StringComparer.Ordinal)
    {
        ["sourcedId"] = PoolMode.InternChars,
    };

    /// <param name="path">A folder holding the CSV files, or a .zip with them at its root.</param>
    public CsvRosterSource(string path, RosterReadObserver? observer = null, CsvArchiveLimits? limits = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RosterReadException("No OneRoster CSV path was given.");
        }
        _observer = observer ?? RosterReadObserver.None;
        _files = CsvFileSet.Open(path, limits ?? CsvArchiveLimits.Default);
        try
        {
            Version = ReadManifest();
        }
        catch
        {
            _files.Dispose();
            throw;
        }
    }

    public string Description => _files.Description;

    /// <summary>The OneRoster version the manifest declares ("1.1" when it has none).</summary>
    public string Version { get; }

    internal bool IsV12 => Version.StartsWith("1.2", StringComparison.Ordinal);

    public IEnumerable<RosterOrg> ReadOrgs(CancellationToken cancellationToken) =>
        ReadRows<RosterOrg>("orgs.csv", new[] { "sourcedId", "name", "type" }, cancellationToken, row =>
        {
            int id = row.Column("sourcedId"), status = row.Column("status"), name = row.Column("name"), type = row.Column("type"), parent = row.Column("parentSourcedId");
            return line => new RosterOrg
            {
                Location = "orgs.csv",
                Line = line,
                SourcedId = row.Get(id).Trim(),
                Status = row.Get(status),
                Name = row.Get(name),
                Type = row.Get(type),
                ParentSourcedId = row.Get(parent).Trim(),
            };
        });

    /// <summary>Users; for 1.2, with the roles current today (see <see cref="ReadUsers(DateTime, CancellationToken)"/>).</summary>
    public IEnumerable<RosterUser> ReadUsers(CancellationToken cancellationToken) => ReadUsers(DateTime.Today, cancellationToken);

    /// <summary>Users; for 1.2, with the roles of roles.csv current on <paramref name="asOf"/>. 1.1 roles have no dates.</summary>
    public IEnumerable<RosterUser> ReadUsers(DateTime asOf, CancellationToken cancellationToken) =>
        IsV12 ? ReadUsersV12(asOf, cancellationToken) : ReadUsersV11(cancellationToken);

    private IEnumerable<RosterUser> ReadUsersV11(CancellationToken cancellationToken) =>
        ReadRows<RosterUser>("users.csv", new[] { "sourcedId", "role", "email" }, cancellationToken, row =>
        {
            var columns = new UserColumns(row);
            int roleColumn = row.Column("role"), orgsColumn = row.Column("orgSourcedIds");
            return line =>
            {
                string role = row.Get(roleColumn).Trim().ToLowerInvariant();
                return columns.NewUser(line, role.Length == 0 ? Array.Empty<string>() : new[] { role }, SplitList(row.Get(orgsColumn)));
            };
        });

    /// <summary>
    /// 1.2 moves roles out of users.csv into roles.csv. The roles are gathered first (one small entry per user
    /// with a role) and attached as users stream by; roles marked tobedeleted, and roles not current on the as-of day
    /// (beginDate on or before it, endDate after it; an unreadable date is warned and the role left out, as for
    /// enrollments), are left out. A user's roles are all their current ones, primary and secondary alike.
    /// </summary>
    private IEnumerable<RosterUser> ReadUsersV12(DateTime asOf, CancellationToken cancellationToken)
    {
        string day = asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var rolesByUser = new Dictionary<string, (List<string> Roles, List<string> Orgs)>(StringComparer.Ordinal);
        foreach (var (userId, role, org, status, current) in ReadRows<(string, string, string, string, bool)>(
                     "roles.csv", new[] { "userSourcedId", "role" }, cancellationToken, row =>
                 {
                     int u = row.Column("userSourcedId"), r = row.Column("role"), o = row.Column("orgSourcedId"), st = row.Column("status"),
                         begin = row.Column("beginDate"), end = row.Column("endDate");
                     return line =>
                     {
                         bool current = OneRosterValues.IsCurrent(row.Get(begin).Trim(), row.Get(end).Trim(), day, out string? unreadable);
                         if (unreadable is not null)
                         {
                             _observer.Warning?.Invoke(new DataQualityWarning("roles.csv", line,
                                 $"the role's {unreadable} is not a date (YYYY-MM-DD or an ISO 8601 date-time); the role is not counted"));
                         }
                         return (row.Get(u).Trim(), row.Get(r).Trim().ToLowerInvariant(), row.Get(o).Trim(), row.Get(st), current);
                     };
                 }))
        {
            if (userId.Length == 0 || role.Length == 0 || !RosterStatus.IsActive(status) || !current)
            {
                continue;
            }
            if (!rolesByUser.TryGetValue(userId, out var entry))
            {
                entry = (new List<string>(1), new List<string>(1));
                rolesByUser.Add(userId, entry);
            }
            if (!entry.Roles.Contains(role))
            {
                entry.Roles.Add(role);
            }
            if (org.Length > 0 && !entry.Orgs.Contains(org))
            {
                entry.Orgs.Add(org);
            }
        }
        foreach (var user in ReadRows<RosterUser>("users.csv", new[] { "sourcedId", "email" }, cancellationToken, row =>
                 {
                     var columns = new UserColumns(row);
                     int id = row.Column("sourcedId"), primaryOrg = row.Column("primaryOrgSourcedId");
                     return line =>
                     {
                         rolesByUser.TryGetValue(row.Get(id).Trim(), out var entry);
                         var orgs = entry.Orgs is null ? new List<string>() : new List<string>(entry.Orgs);
                         foreach (string primary in SplitList(row.Get(primaryOrg)))
                         {
                             if (!orgs.Contains(primary))
                             {
                                 orgs.Insert(0, primary);
                             }
                         }
                         return columns.NewUser(line, (IReadOnlyList<string>?)entry.Roles ?? Array.Empty<string>(), orgs);
                     };
                 }))
        {
            yield return user;
        }
    }

    /// <summary>The users.csv columns shared by the 1.1 and 1.2 shapes, resolved once per file.</summary>
    private sealed class UserColumns
    {
        private readonly CsvRow _row;
        private readonly int _id, _status, _enabled, _username, _given, _family, _email, _identifier;

        public UserColumns(CsvRow row)
        {
            _row = row;
            _id = row.Column("sourcedId");
            _status = row.Column("status");
            _enabled = row.Column("enabledUser");
            _username = row.Column("username");
            _given = row.Column("givenName");
            _family = row.Column("familyName");
            _email = row.Column("email");
            _identifier = row.Column("identifier");
        }

        public RosterUser NewUser(long line, IReadOnlyList<string> roles, IReadOnlyList<string> orgs) => new()
        {
            Location = "users.csv",
            Line = line,
            SourcedId = _row.Get(_id).Trim(),
            Status = _row.Get(_status),
            EnabledUser = _row.Get(_enabled),
            Roles = roles,
            OrgSourcedIds = orgs,
            Username = _row.Get(_username),
            GivenName = _row.Get(_given),
            FamilyName = _row.Get(_family),
            Email = _row.Get(_email),
            Identifier = _row.Get(_identifier),
        };
    }

    public IEnumerable<RosterClass> ReadClasses(CancellationToken cancellationToken) =>
        ReadRows<RosterClass>("classes.csv", new[] { "sourcedId", "title", "schoolSourcedId" }, cancellationToken, row =>
        {
            int id = row.Column("sourcedId"), status = row.Column("status"), title = row.Column("title"), code = row.Column("classCode"),
                school = row.Column("schoolSourcedId"), course = row.Column("courseSourcedId"), terms = row.Column("termSourcedIds"),
                periods = row.Column("periods");
            return line => new RosterClass
            {
                Location = "classes.csv",
                Line = line,
                SourcedId = row.Get(id).Trim(),
                Status = row.Get(status),
                Title = row.Get(title),
                ClassCode = row.Get(code),
                SchoolSourcedId = row.Get(school).Trim(),
                CourseSourcedId = row.Get(course).Trim(),
                TermSourcedIds = SplitList(row.Get(terms)),
                Periods = SplitList(row.Get(periods)),
            };
        });

    /// <summary>academicSessions.csv, or null (and <paramref name="missing"/> names it) when the export has no such file.</summary>
    public IEnumerable<RosterAcademicSession>? ReadAcademicSessions(CancellationToken cancellationToken, out string missing)
    {
        missing = _files.Name("academicSessions.csv");
        if (!_files.Exists("academicSessions.csv"))
        {
            return null;
        }
        return ReadRows<RosterAcademicSession>("academicSessions.csv", new[] { "sourcedId" }, cancellationToken, row =>
        {
            int id = row.Column("sourcedId"), status = row.Column("status"), title = row.Column("title"),
                start = row.Column("startDate"), end = row.Column("endDate");
            return line => new RosterAcademicSession
            {
                Location = "academicSessions.csv",
                Line = line,
                SourcedId = row.Get(id).Trim(),
                Status = row.Get(status),
                Title = row.Get(title),
                StartDate = row.Get(start).Trim(),
                EndDate = row.Get(end).Trim(),
            };
        });
    }

    public IEnumerable<RosterEnrollment> ReadEnrollments(CancellationToken cancellationToken) =>
        ReadRows<RosterEnrollment>("enrollments.csv", new[] { "sourcedId", "classSourcedId", "userSourcedId", "role" }, cancellationToken, row =>
        {
            int id = row.Column("sourcedId"), status = row.Column("status"), cls = row.Column("classSourcedId"), school = row.Column("schoolSourcedId"),
                user = row.Column("userSourcedId"), role = row.Column("role"), begin = row.Column("beginDate"), end = row.Column("endDate");
            return [MethodImpl(HotPath.Optimize)] (long line) => new RosterEnrollment
            {
                Location = "enrollments.csv",
                Line = line,
                SourcedId = row.Get(id),
                Status = row.Get(status),
                ClassSourcedId = row.Get(cls).Trim(),
                SchoolSourcedId = row.Get(school).Trim(),
                UserSourcedId = row.Get(user).Trim(),
                Role = row.Get(role).Trim().ToLowerInvariant(),
                BeginDate = row.Get(begin).Trim(),
                EndDate = row.Get(end).Trim(),
            };
        });

    /// <summary>
    /// The engine's fast path: enrollments as one reused, mutable row whose user and class come as ids of this
    /// source's string pool (-1 when unknown), so reading a row allocates nothing. Only for callers that keep
    /// nothing from a row past the next MoveNext.
    /// </summary>
    internal IEnumerable<PooledEnrollmentRow> ReadEnrollmentRows(CancellationToken cancellationToken) =>
        ReadRows<PooledEnrollmentRow>("enrollments.csv", new[] { "sourcedId", "classSourcedId", "userSourcedId", "role" }, cancellationToken, EnrollmentRowPoolModes, row =>
        {
            int status = row.Column("status"), cls = row.Column("classSourcedId"), user = row.Column("userSourcedId"), role = row.Column("role"),
                begin = row.Column("beginDate"), end = row.Column("endDate");
            var current = new PooledEnrollmentRow { Location = "enrollments.csv" };
            return [MethodImpl(HotPath.Optimize)] (long line) =>
            {
                current.Line = line;
                current.Status = row.Get(status);
                current.ClassId = PooledId(row, cls);
                current.UserId = PooledId(row, user);
                current.Role = row.Get(role).Trim();
                current.BeginDate = row.Get(begin).Trim();
                current.EndDate = row.Get(end).Trim();
                return current;
            };
        });

    /// <summary>
    /// The engine's fast path for 1.1 users.csv: one reused row; the id, status, enabledUser and role are read for
    /// every row, the email, names and orgs only when asked for while the row is current.
    /// </summary>
    internal IEnumerable<PooledUserRow> ReadUserRows(CancellationToken cancellationToken) =>
        ReadRows<PooledUserRow>("users.csv", new[] { "sourcedId", "role", "email" }, cancellationToken, UserRowPoolModes, row =>
        {
            int id = row.Column("sourcedId"), status = row.Column("status"), enabled = row.Column("enabledUser"), role = row.Column("role");
            var current = new PooledUserRow(row, row.Column("email"), row.Column("givenName"), row.Column("familyName"), row.Column("orgSourcedIds"));
            return [MethodImpl(HotPath.Optimize)] (long line) =>
            {
                current.Line = line;
                current.SourcedId = row.Get(id).Trim();
                current.Status = row.Get(status);
                current.EnabledUser = row.Get(enabled);
                current.SetRole(row.Get(role).Trim());
                return current;
            };
        });

    /// <summary>The pool id of a sourcedId field (trimmed), or -1 when no user, class or org has it. Allocates nothing.</summary>
    [MethodImpl(HotPath.Optimize)]
    private int PooledId(CsvRow row, int ordinal)
    {
        _strings.LastId = -1;
        row.Get(ordinal);
        return _strings.LastId;
    }

    /// <summary>The pool id of a sourcedId this source has read, adding it when the caller trimmed it differently.</summary>
    internal int PoolIdOf(string sourcedId)
    {
        int id = _strings.IdOf(sourcedId);
        return id >= 0 ? id : _strings.InternId(sourcedId);
    }

    /// <summary>The pool id of a sourcedId, or -1 when this source has not pooled it.</summary>
    internal int PoolIdIfAny(string sourcedId) => _strings.IdOf(sourcedId);

    internal int PoolSize => _strings.Count;

    public void Dispose() => _files.Dispose();

    /// <summary>
    /// Reads manifest.csv (or, without one, tells the version from the headers) and refuses what cannot be read as a
    /// whole district: a delta manifest (a change set), an unknown version, an export that is not OneRoster.
    /// </summary>
    private string ReadManifest()
    {
        if (!_files.Exists("manifest.csv"))
        {
            string inferred = CsvExportShape.VersionWithoutManifest(ReadHeader("users.csv"), ReadHeader("roles.csv"), _files.Name, out string reason);
            _observer.Warning?.Invoke(new DataQualityWarning("manifest.csv", 0, $"the export has no manifest.csv; {reason}"));
            return inferred;
        }
        string display = _files.Name("manifest.csv");
        var manifest = CsvManifest.Parse(ReadRows<(string, string, long)>("manifest.csv", new[] { "propertyName", "value" }, CancellationToken.None, row =>
        {
            int n = row.Column("propertyName"), v = row.Column("value");
            return line => (row.Get(n).Trim(), row.Get(v).Trim(), line);
        }), display);
        bool v12 = manifest.Version.StartsWith("1.2", StringComparison.Ordinal);

        var delta = new List<string>();
        // academicSessions.csv is checked for delta too: a change set of terms would leave every term it omits
        // unresolved, and the classes naming those terms would count as if undated. (Listed absent but present is not
        // warned for it: exports commonly say so, and the reader reads the file when it is there.)
        foreach (string file in RosterFiles.Append("academicSessions.csv"))
        {
            if (file == "roles.csv" && !v12)
            {
                continue;
            }
            string? mode = manifest.ModeOf(file, out long line);
            if (mode == "delta")
            {
                delta.Add($"{file} (line {line})");
            }
            else if (mode == "absent" && file != "academicSessions.csv" && _files.Exists(file))
            {
                _observer.Warning?.Invoke(new DataQualityWarning("manifest.csv", line, $"the manifest lists {file} as absent, but the export holds it; it is read"));
            }
        }
        if (delta.Count > 0)
        {
            // A change set read as the district would make everyone it leaves out look gone.
            throw new RosterReadException(
                $"{display} lists {string.Join(", ", delta)} as 'delta': the export is a change set, not the whole district, so it " +
                "cannot be read as the roster and nothing was done. Export a full (bulk) OneRoster roster; applying delta exports is not supported.");
        }
        return manifest.Version;
    }

    /// <summary>The header of a file, or null when the export has no such file or it has no readable header (its read says why).</summary>
    private CsvHeaderNames? ReadHeader(string fileName)
    {
        if (!_files.Exists(fileName))
        {
            return null;
        }
        using var stream = _files.Open(fileName, out _);
        using var text = CsvTextDecoding.Open(stream, out _);
        try
        {
            using var reader = CsvDataReader.Create(text);
            return new CsvHeaderNames(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList());
        }
        catch (Exception ex) when (ex is CsvMissingHeadersException or CsvFormatException)
        {
            return null;
        }
    }

    /// <summary>Streams one file; <paramref name="bind"/> resolves the columns once and returns the per-row mapper.</summary>
    private IEnumerable<T> ReadRows<T>(string fileName, string[] requiredHeaders, CancellationToken cancellationToken, Func<CsvRow, Func<long, T>> bind) =>
        ReadRows(fileName, requiredHeaders, cancellationToken, PoolModes.TryGetValue(fileName, out var modes) ? modes : null, bind);

    private IEnumerable<T> ReadRows<T>(string fileName, string[] requiredHeaders, CancellationToken cancellationToken,
        Dictionary<string, PoolMode>? poolModes, Func<CsvRow, Func<long, T>> bind)
    {
        string display = _files.Name(fileName);
        if (!_files.Exists(fileName))
        {
            throw new RosterReadException($"The OneRoster CSV file '{display}' is missing; a OneRoster export must include {fileName}.");
        }

        using var stream = _files.Open(fileName, out long length);
        Func<long> position = stream switch
        {
            FileStream file => () => file.Position,
            ExpansionGuardStream guard => () => guard.BytesRead,
            _ => () => 0,
        };
        using var text = CsvTextDecoding.Open(stream, out var decoding);
        CsvDataReader reader;
        PoolMode[]? modes = null;
        try
        {
            reader = CsvDataReader.Create(text, new CsvDataReaderOptions
            {
                HeaderComparer = StringComparer.Ordinal,
                BufferSize = 1 << 16,
                MaxBufferSize = 1 << 24,
                ColumnStringFactory = [MethodImpl(HotPath.Optimize)] (_, ordinal, buffer, offset, count) =>
                    modes is not null && ordinal < modes.Length ? _strings.Get(modes[ordinal], buffer, offset, count) : new string(buffer, offset, count),
            });
        }
        catch (CsvMissingHeadersException)
        {
            throw new RosterReadException($"The OneRoster CSV file '{display}' is empty; it must start with a header row.");
        }
        catch (CsvFormatException ex)
        {
            throw new RosterReadException($"The header row of '{display}' cannot be read: {ex.Message}", ex);
        }

        using (reader)
        {
            var row = new CsvRow(reader);
            var missing = requiredHeaders.Where(h => !row.HasColumn(h)).ToList();
            if (missing.Count > 0)
            {
                throw new RosterReadException(
                    $"The OneRoster CSV file '{display}' has no column {string.Join(", ", missing.Select(m => "'" + m + "'"))} (line 1).");
            }
            // A short row is still used when it reaches every column the reader cannot do without.
            int requiredFields = requiredHeaders.Length == 0 ? 1 : requiredHeaders.Max(h => row.Column(h)) + 1;

            if (poolModes is not null)
            {
                var resolved = new PoolMode[reader.FieldCount];
                foreach (var pair in poolModes)
                {
                    int ordinal = row.Column(pair.Key);
                    if (ordinal >= 0)
                    {
                        resolved[ordinal] = pair.Value;
                    }
                }
                modes = resolved;
            }
            var map = bind(row);
            var cursor = new RowCursor(this, reader, row, fileName, position, length, requiredFields, decoding);
            if (decoding.SawInvalidBytes && row.HeaderHasReplacementCharacter())
            {
                cursor.ReportInvalidBytes(1);
            }
            Report(fileName, 0, position(), length);
            while (cursor.Next(cancellationToken, out long line))
            {
                yield return map(line);
            }
            if (decoding.SawInvalidBytes)
            {
                cursor.ReportInvalidBytes(0); // only if no line showed them
            }
            Report(fileName, cursor.Records, length, length);
        }
    }

    /// <summary>The per-row loop of one file (outside the iterator so it can be compiled fully optimized).</summary>
    private sealed class RowCursor
    {
        private readonly CsvRosterSource _source;
        private readonly CsvDataReader _reader;
        private readonly CsvRow _row;
        private readonly string _fileName;
        private readonly Func<long> _position;
        private readonly long _length;
        private readonly LineCounter _lines;
        private readonly int _requiredFields;
        private readonly CsvTextDecoding _decoding;
        private bool _invalidBytesReported;
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public RowCursor(CsvRosterSource source, CsvDataReader reader, CsvRow row, string fileName, Func<long> position, long length,
            int requiredFields, CsvTextDecoding decoding)
        {
            _source = source;
            _reader = reader;
            _row = row;
            _fileName = fileName;
            _position = position;
            _length = length;
            _requiredFields = requiredFields;
            _decoding = decoding;
            _lines = new LineCounter(reader);
        }

        /// <summary>
        /// Once per file: bytes that were not valid UTF-8 (a file saved as Windows-1252, say) were read as U+FFFD. Names
        /// the first line that holds one (0 when none could be pinned down); an email holding one is never valid.
        /// </summary>
        public void ReportInvalidBytes(long line)
        {
            if (_invalidBytesReported)
            {
                return;
            }
            _invalidBytesReported = true;
            _source._observer.Warning?.Invoke(new DataQualityWarning(_fileName, line,
                $"the file holds bytes that are not valid {_decoding.EncodingName}{(line > 0 ? ", first on this line" : "")}; the characters they stood for " +
                "are lost (an email holding one counts as invalid). Export the file as UTF-8"));
        }

        public long Records { get; private set; }

        [MethodImpl(HotPath.Optimize)]
        public bool Next(CancellationToken cancellationToken, out long line)
        {
            var observer = _source._observer;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                line = 0;
                try
                {
                    if (!_reader.Read())
                    {
                        return false;
                    }
                }
                catch (CsvRecordTooLargeException)
                {
                    observer.Warning?.Invoke(new DataQualityWarning(_fileName, _lines.NextLine,
                        "a record is larger than 16 MB (probably an unbalanced quote); this record and the rest of the file could not be read", restOfFileUnread: true));
                    return false;
                }
                catch (CsvFormatException ex)
                {
                    // Sylvan cannot resynchronise after a malformed quoted field: everything from here on is one broken record.
                    observer.Warning?.Invoke(new DataQualityWarning(_fileName, _lines.NextLine,
                        $"a quoted field is malformed ({ex.Message.TrimEnd('.')}); this record and the rest of the file could not be read", restOfFileUnread: true));
                    return false;
                }

                line = _lines.Advance();
                long records = ++Records;
                if (_decoding.SawInvalidBytes && !_invalidBytesReported && _lines.LastRecordHas('\uFFFD'))
                {
                    ReportInvalidBytes(line);
                }
                int fields = _reader.RowFieldCount;
                if (fields != _row.ColumnCount && !IsUsableRaggedRow(fields, line))
                {
                    continue;
                }

                if (records % ProgressEveryRecords == 0 && observer.Progress is not null && _clock.ElapsedMilliseconds >= 200)
                {
                    _clock.Restart();
                    _source.Report(_fileName, records, _position(), _length);
                }
                return true;
            }
        }

        /// <summary>
        /// A row whose field count differs from the header's: used when its extra fields are all empty (a trailing comma)
        /// or, when short, it still reaches every required column (the rest read as blank). Otherwise a warning; a blank
        /// line is skipped silently.
        /// </summary>
        private bool IsUsableRaggedRow(int fields, long line)
        {
            if (fields == 1 && _row.IsBlankRow())
            {
                return false;
            }
            if (fields > _row.ColumnCount ? _row.AreBlankFrom(_row.ColumnCount) : fields >= _requiredFields)
            {
                return true;
            }
            _source._observer.Warning?.Invoke(new DataQualityWarning(_fileName, line, fields > _row.ColumnCount
                ? $"the row has {fields} fields but the header has {_row.ColumnCount}, and the extra fields are not empty"
                : $"the row has {fields} fields but the header has {_row.ColumnCount}, too few to reach every column the file needs"));
            return false;
        }
    }

    private void Report(string fileName, long records, long bytesRead, long total) =>
        _observer.Progress?.Invoke(new RosterReadProgress(fileName, records, bytesRead, total > 0 ? total : null, null));

    /// <summary>Splits a OneRoster multi-valued field ("a, b,c") into trimmed, non-empty items.</summary>
    internal static IReadOnlyList<string> SplitList(string value)
    {
        if (value.Length == 0)
        {
            return Array.Empty<string>();
        }
        if (value.IndexOf(',') < 0)
        {
            string single = value.Trim();
            return single.Length == 0 ? Array.Empty<string>() : new[] { single };
        }
        return value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
    }

    /// <summary>
    /// Tracks the physical line each record starts on: a quoted field may hold line breaks, so record
    /// numbers and line numbers part ways after the first such field.
    /// </summary>
    private sealed class LineCounter
    {
        private readonly CsvDataReader _reader;
        private char[] _buffer = new char[1024];
        private int _length;

        public LineCounter(CsvDataReader reader) => _reader = reader;

        /// <summary>The line the next record will start on (the header is line 1).</summary>
        public long NextLine { get; private set; } = 2;

        [MethodImpl(HotPath.Optimize)]
        public long Advance()
        {
            long line = NextLine;
            int length = _reader.GetRawRecord(_buffer, 0);
            if (length > _buffer.Length)
            {
                _buffer = new char[Math.Max(length, _buffer.Length * 2)];
                length = _reader.GetRawRecord(_buffer, 0);
            }
            int breaks = 0;
            int start = 0;
            int end = Math.Min(length, _buffer.Length);
            while (start < end)
            {
                int at = Array.IndexOf(_buffer, '\n', start, end - start);
                if (at < 0)
                {
                    break;
                }
                breaks++;
                start = at + 1;
            }
            NextLine += Math.Max(1, breaks);
            _length = end;
            return line;
        }

        /// <summary>Whether the record <see cref="Advance"/> last counted holds <paramref name="c"/>.</summary>
        public bool LastRecordHas(char c) => Array.IndexOf(_buffer, c, 0, _length) >= 0;
    }

    /// <summary>Header-name access to the current row; a column the file lacks reads as blank.</summary>
    private sealed class CsvRow : PooledRowFields
    {
        private readonly CsvDataReader _reader;

        public CsvRow(CsvDataReader reader)
        {
            _reader = reader;
            ColumnCount = reader.FieldCount;
            Names = new CsvHeaderNames(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList());
        }

        public int ColumnCount { get; }

        public CsvHeaderNames Names { get; }

        public bool HasColumn(string name) => Names.Find(name) >= 0;

        public bool IsBlankRow() => _reader.GetString(0).Trim().Length == 0;

        /// <summary>Whether every field of the current row from <paramref name="ordinal"/> on is blank.</summary>
        public bool AreBlankFrom(int ordinal)
        {
            for (int i = ordinal; i < _reader.RowFieldCount; i++)
            {
                if (_reader.GetString(i).Trim().Length != 0)
                {
                    return false;
                }
            }
            return true;
        }

        public bool HeaderHasReplacementCharacter() => Enumerable.Range(0, ColumnCount).Any(i => _reader.GetName(i).IndexOf('\uFFFD') >= 0);

        /// <summary>The ordinal of a column, or -1 when the file lacks it.</summary>
        public int Column(string name) => Names.Find(name);

        /// <summary>A field of the current row; a column the file lacks reads as blank.</summary>
        [MethodImpl(HotPath.Optimize)]
        public override string Get(int ordinal) => ordinal >= 0 && ordinal < _reader.RowFieldCount ? _reader.GetString(ordinal) : "";
    }
}
