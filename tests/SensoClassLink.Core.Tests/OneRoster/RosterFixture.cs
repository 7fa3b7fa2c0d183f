using System.IO.Compression;
using System.Text;

namespace SensoClassLink.Core.Tests.OneRoster;

/// <summary>A small hand-made OneRoster 1.1 CSV export in a temporary folder, deleted on dispose.</summary>
public sealed class RosterFixture : IDisposable
{
    public const string OrgsHeader = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId";
    public const string UsersHeader = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password";
    public const string ClassesHeader = "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods";
    public const string SessionsHeader = "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear";
    public const string EnrollmentsHeader = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate";
    public const string Manifest11 = "propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\nfile.classes,bulk\nfile.enrollments,bulk\n";

    public RosterFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "scl-roster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public List<string> Orgs { get; } = new() { "d1,,,Lincoln District,district,,", "s1,,,North High,school,,d1", "s2,,,South Middle,school,,d1" };
    public List<string> Users { get; } = new();
    public List<string> Classes { get; } = new();
    public List<string> Enrollments { get; } = new();

    /// <summary>academicSessions.csv rows; by default the open-ended term-1 every <see cref="Class"/> names. Null: no such file.</summary>
    public List<string>? Sessions { get; set; } = new() { Session("term-1", "Term 1") };

    /// <summary>An academicSessions.csv row; blank dates are open.</summary>
    public static string Session(string id, string title, string start = "", string end = "", string status = "") =>
        $"{id},{status},,{Csv(title)},term,{start},{end},,";

    /// <summary>A users.csv row in the 1.1 column order.</summary>
    public static string User(string id, string role, string email, string status = "", string enabled = "", string orgs = "s1", string given = "Given", string family = "Family") =>
        $"{id},{status},,{enabled},{Csv(orgs)},{role},{id}-login,,{Csv(given)},{Csv(family)},,,{Csv(email)},,,,,";

    public static string Class(string id, string title = "Class", string school = "s1", string status = "", string terms = "term-1", string classCode = "",
        string periods = "") =>
        $"{id},{status},,{Csv(title)},,course-1,{Csv(classCode)},scheduled,,{school},{Csv(terms)},,,{Csv(periods)}";

    public static string Enrollment(string id, string cls, string user, string role, string status = "", string begin = "", string end = "") =>
        $"{id},{status},,{cls},s1,{user},{role},,{begin},{end}";

    public static string Csv(string value) =>
        value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    public RosterFixture WithTeacherAndStudent(string teacher = "t1", string email = "t1@district.org", string cls = "c1")
    {
        Users.Add(User(teacher, "teacher", email));
        Users.Add(User("stu-" + cls, "student", "stu-" + cls + "@district.org"));
        Classes.Add(Class(cls, "Class " + cls));
        Enrollments.Add(Enrollment("e-t-" + cls, cls, teacher, "teacher"));
        Enrollments.Add(Enrollment("e-s-" + cls, cls, "stu-" + cls, "student"));
        return this;
    }

    /// <summary>Writes the files (manifest, orgs, users, classes, enrollments) and returns the folder.</summary>
    public string Write(string? manifest = Manifest11)
    {
        if (manifest is not null)
        {
            WriteFile("manifest.csv", manifest);
        }
        WriteFile("orgs.csv", OrgsHeader + "\n" + string.Join("\n", Orgs) + "\n");
        WriteFile("users.csv", UsersHeader + "\n" + string.Join("\n", Users) + "\n");
        WriteFile("classes.csv", ClassesHeader + "\n" + string.Join("\n", Classes) + "\n");
        WriteFile("enrollments.csv", EnrollmentsHeader + "\n" + string.Join("\n", Enrollments) + "\n");
        string sessions = Path.Combine(Folder, "academicSessions.csv");
        if (Sessions is null)
        {
            File.Delete(sessions);
        }
        else
        {
            WriteFile("academicSessions.csv", SessionsHeader + "\n" + string.Join("\n", Sessions) + "\n");
        }
        return Folder;
    }

    public void WriteFile(string name, string content, bool bom = false) =>
        File.WriteAllText(Path.Combine(Folder, name), content, new UTF8Encoding(bom));

    /// <summary>Zips every file of the folder (at the root) plus any extra raw entries, and returns the zip path.</summary>
    public string Zip(params (string Name, byte[] Content)[] extra)
    {
        string zip = Path.Combine(Path.GetTempPath(), "scl-roster-" + Guid.NewGuid().ToString("N") + ".zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (string file in Directory.GetFiles(Folder))
            {
                archive.CreateEntryFromFile(file, Path.GetFileName(file));
            }
            foreach (var (name, content) in extra)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
        }
        _zips.Add(zip);
        return zip;
    }

    private readonly List<string> _zips = new();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
            foreach (string zip in _zips)
            {
                File.Delete(zip);
            }
        }
        catch (IOException)
        {
        }
    }
}
