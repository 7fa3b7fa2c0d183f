using System.Diagnostics;
using System.Globalization;
using System.Text;

// Usage: RosterGenerator --out <folder> --enrollments <n|1M|10M> [--seed <int>]
// Writes manifest, orgs, academicSessions, courses, users, classes and enrollments as OneRoster 1.1 bulk CSV,
// streaming (memory is a few arrays per class/teacher), the same bytes for the same size and seed.
var options = Options.Parse(args);
var clock = Stopwatch.StartNew();
var summary = new DistrictWriter(options).Write();
Console.WriteLine($"{summary} in {clock.Elapsed.TotalSeconds:N1} s -> {options.Output}");

internal sealed record Options(string Output, long Enrollments, int Seed)
{
    public static Options Parse(string[] args)
    {
        string? output = null;
        long enrollments = 1_000_000;
        int seed = 42;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--out": output = value; i++; break;
                case "--enrollments": enrollments = ParseScale(value); i++; break;
                case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: --out <folder> --enrollments <n|1M|10M> [--seed <int>]");
            }
        }
        if (output is null)
        {
            throw new ArgumentException("--out <folder> is required");
        }
        if (enrollments < 1000)
        {
            throw new ArgumentException("--enrollments must be at least 1000");
        }
        return new Options(Path.GetFullPath(output), enrollments, seed);
    }

    public static long ParseScale(string text)
    {
        text = text.Trim().ToUpperInvariant();
        long factor = text.EndsWith('M') ? 1_000_000 : text.EndsWith('K') ? 1_000 : 1;
        return (long)(double.Parse(factor == 1 ? text : text[..^1], CultureInfo.InvariantCulture) * factor);
    }
}

/// <summary>
/// The district's shape, scaled from the enrollment target (10M enrollments gives about 1M students, 70k teacher
/// records, 300k classes): each student takes about 9 classes of their school; most classes have one teacher,
/// some are co-taught. Edge cases are planted at fixed rates so every scale exercises every rule.
/// </summary>
internal sealed class DistrictWriter
{
    private const int ClassesPerStudent = 9;
    private static readonly string[] Given = { "Ava", "Ben", "Chloé", "Diego", "Émile", "Fatima", "Grace", "Hiro", "Isla", "Jonas", "Kira", "Liam", "Mia", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Zoë", "Ngozi", "Søren", "Łukasz", "Anaïs" };
    private static readonly string[] Family = { "Ng", "Ortiz", "Smith", "Kowalski", "Dubois", "Rossi", "Müller", "Chen", "Silva", "Okafor", "Jensen", "Haddad", "O'Brien", "D'Angelo", "García", "Ångström", "Nguyễn", "=Sum(1)", "Park", "Lee" };
    private static readonly string[] Subjects = { "Algebra", "Biology", "Chemistry", "English", "French", "Geometry", "History", "Music", "Art", "Physics", "Spanish", "Reading" };

    private readonly Options _options;
    private readonly Random _random;
    private readonly int _schools, _teachers, _classes, _students;

    public DistrictWriter(Options options)
    {
        _options = options;
        _random = new Random(options.Seed);
        long e = options.Enrollments;
        _classes = (int)Math.Max(30, e * 3 / 100);
        _teachers = (int)Math.Max(20, e * 7 / 1000);
        // Teacher enrollments are about 1.1 per class; students fill the rest at ~9 classes each.
        _students = (int)Math.Max(50, (e - _classes * 11 / 10) / ClassesPerStudent);
        _schools = Math.Max(3, _students / 1000);
    }

    public string Write()
    {
        Directory.CreateDirectory(_options.Output);
        WriteSmallFiles();
        var teacherOfClass = AssignTeachers(out var coTeacher, out var teacherSchool);
        long users = WriteUsers(teacherSchool);
        WriteClasses();
        long enrollments = WriteEnrollments(teacherOfClass, coTeacher);
        return $"{_schools:N0} schools, {_teachers:N0} teachers, {_students:N0} students, {_classes:N0} classes, {users:N0} users, {enrollments:N0} enrollments";
    }

    private StreamWriter Open(string name, string header)
    {
        var writer = new StreamWriter(Path.Combine(_options.Output, name), false, new UTF8Encoding(false), 1 << 20) { NewLine = "\r\n" };
        writer.WriteLine(header);
        return writer;
    }

    private static string Csv(string value) =>
        value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private int SchoolOfClass(int cls) => (int)((long)cls * _schools / _classes);
    private int SchoolOfStudent(int student) => (int)((long)student * _schools / _students);
    private int FirstClassOfSchool(int school) => (int)(((long)school * _classes + _schools - 1) / _schools);
    private static string SchoolId(int school) => "sch-" + school.ToString("D5", CultureInfo.InvariantCulture);
    private static string ClassId(int cls) => "cls-" + cls.ToString("D7", CultureInfo.InvariantCulture);
    private static string TeacherId(int t) => "tch-" + t.ToString("D6", CultureInfo.InvariantCulture);
    private static string StudentId(int s) => "stu-" + s.ToString("D7", CultureInfo.InvariantCulture);

    private void WriteSmallFiles()
    {
        using (var manifest = Open("manifest.csv", "propertyName,value"))
        {
            foreach (string line in new[] { "manifest.version,1.0", "oneroster.version,1.1", "file.academicSessions,bulk", "file.categories,absent", "file.classes,bulk",
                         "file.classResources,absent", "file.courses,bulk", "file.courseResources,absent", "file.demographics,absent", "file.enrollments,bulk",
                         "file.lineItems,absent", "file.orgs,bulk", "file.resources,absent", "file.results,absent", "file.users,bulk",
                         "source.systemName,RosterGenerator", "source.systemCode,GEN" })
            {
                manifest.WriteLine(line);
            }
        }
        using (var orgs = Open("orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"))
        {
            orgs.WriteLine("dist-1,,,Synthetic Unified,district,,");
            for (int s = 0; s < _schools; s++)
            {
                orgs.WriteLine($"{SchoolId(s)},,,{Csv($"School {s}, Campus {(char)('A' + s % 26)}")},school,{s},dist-1");
            }
        }
        using (var sessions = Open("academicSessions.csv", "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear"))
        {
            sessions.WriteLine("as-2026,,,2025-2026,schoolYear,2025-08-01,2026-07-01,,2026");
        }
        using var courses = Open("courses.csv", "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes");
        for (int i = 0; i < Subjects.Length; i++)
        {
            courses.WriteLine($"crs-{i},,,as-2026,{Subjects[i]},{Subjects[i].ToUpperInvariant()},,dist-1,,");
        }
    }

    /// <summary>Each class gets a teacher of its school; 5% get a co-teacher; 2% of teachers are left without classes.</summary>
    private int[] AssignTeachers(out int[] coTeacher, out int[] teacherSchool)
    {
        teacherSchool = new int[_teachers];
        for (int t = 0; t < _teachers; t++)
        {
            teacherSchool[t] = (int)((long)t * _schools / _teachers);
        }
        var teacherOfClass = new int[_classes];
        coTeacher = new int[_classes];
        for (int c = 0; c < _classes; c++)
        {
            int school = SchoolOfClass(c);
            int first = (int)(((long)school * _teachers + _schools - 1) / _schools);
            int last = (int)(((long)(school + 1) * _teachers + _schools - 1) / _schools);
            int span = Math.Max(1, last - first);
            // The last 2% of each school's teachers teach nothing (NoClasses).
            int teaching = Math.Max(1, span * 98 / 100);
            teacherOfClass[c] = first + _random.Next(teaching);
            coTeacher[c] = _random.Next(100) < 5 ? first + _random.Next(teaching) : -1;
        }
        return teacherOfClass;
    }

    private long WriteUsers(int[] teacherSchool)
    {
        long rows = 0;
        using var users = Open("users.csv", "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password");
        for (int t = 0; t < _teachers; t++)
        {
            string given = Given[_random.Next(Given.Length)];
            string family = Family[_random.Next(Family.Length)];
            string local = (given + "." + family).ToLowerInvariant().Replace(" ", "").Replace("=", "").Replace("(", "").Replace(")", "");
            string email = $"{local}.{t}@synthetic.k12.example";
            int kind = t % 200;
            string status = "", enabled = "true";
            if (kind == 0) email = "";                                          // MissingEmail
            else if (kind == 1) email = $"{local}.{t}@synthetic";               // InvalidEmail: no dot in the domain
            else if (kind == 2) email = $"{local} {t}@synthetic.k12.example";   // InvalidEmail: whitespace
            else if (kind == 3 || kind == 4) status = "tobedeleted";            // Inactive
            else if (kind == 5) enabled = "false";                              // Inactive
            else if (kind == 6) email = email.ToUpperInvariant();               // normalized on read
            string school = SchoolId(teacherSchool[t]);
            users.WriteLine($"{TeacherId(t)},{status},,{enabled},{school},teacher,{TeacherId(t)},,{Csv(given)},{Csv(family)},,,{Csv(email)},,,,,");
            rows++;
            if (kind == 7 && _schools > 1)
            {
                // A second record for the same person in another school, same email in other case: merged.
                string other = SchoolId((teacherSchool[t] + 1) % _schools);
                users.WriteLine($"{TeacherId(t)}-b,,,true,\"{other}, dist-1\",Teacher,{TeacherId(t)}b,,{Csv(given)},{Csv(family)},,,{Csv(" " + email.ToUpperInvariant() + " ")},,,,,");
                rows++;
            }
        }
        for (int s = 0; s < _students; s++)
        {
            string given = Given[_random.Next(Given.Length)];
            string family = Family[_random.Next(Family.Length)];
            string email = s % 37 == 0 ? "" : $"s{s}@students.synthetic.k12.example";
            string status = s % 97 == 0 ? "tobedeleted" : "";
            users.WriteLine($"{StudentId(s)},{status},,true,{SchoolId(SchoolOfStudent(s))},student,{StudentId(s)},,{Csv(given)},{Csv(family)},,,{email},,,,,09");
            rows++;
        }
        for (int a = 0; a < Math.Max(1, _classes / 50); a++)
        {
            users.WriteLine($"aide-{a},,,true,{SchoolId(a % _schools)},aide,aide-{a},,Dana,Fox,,,aide{a}@synthetic.k12.example,,,,,");
            rows++;
        }
        return rows;
    }

    private void WriteClasses()
    {
        using var classes = Open("classes.csv", "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods");
        for (int c = 0; c < _classes; c++)
        {
            int subject = c % Subjects.Length;
            string status = c % 499 == 0 ? "tobedeleted" : "";
            string title = c % 61 == 0 ? $"{Subjects[subject]}, \"Honors\"\nSection {c}" : $"{Subjects[subject]} {c % 7 + 1}";
            classes.WriteLine($"{ClassId(c)},{status},,{Csv(title)},09,crs-{subject},{ClassId(c)},scheduled,,{SchoolId(SchoolOfClass(c))},as-2026,,,\"1, 2\"");
        }
    }

    private long WriteEnrollments(int[] teacherOfClass, int[] coTeacher)
    {
        long id = 0;
        using var enrollments = Open("enrollments.csv", "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate");
        void Row(int cls, string user, string role, string primary, string begin = "2025-08-01", string end = "2026-07-01", string status = "") =>
            enrollments.WriteLine($"enr-{id++},{status},,{ClassId(cls)},{SchoolId(SchoolOfClass(cls))},{user},{role},{primary},{begin},{end}");

        for (int c = 0; c < _classes; c++)
        {
            // 1% of teacher enrollments ended last year: those classes do not count for that teacher.
            if (c % 100 == 17) Row(c, TeacherId(teacherOfClass[c]), "teacher", "true", "2024-08-01", "2025-07-01");
            else Row(c, TeacherId(teacherOfClass[c]), "teacher", "true");
            if (coTeacher[c] >= 0) Row(c, TeacherId(coTeacher[c]), "teacher", "false");
            if (c % 50 == 0) Row(c, "aide-" + (c / 50), "aide", "");
        }
        var chosen = new int[ClassesPerStudent];
        for (int s = 0; s < _students; s++)
        {
            int school = SchoolOfStudent(s);
            int first = FirstClassOfSchool(school);
            int count = Math.Max(1, FirstClassOfSchool(school + 1) - first);
            for (int k = 0; k < ClassesPerStudent; k++)
            {
                // Class 3 of every 20 in a school gets no students, class 7 only inactive ones (NoStudents teachers).
                int cls;
                do
                {
                    cls = first + _random.Next(count);
                }
                while (count > 20 && (cls - first) % 20 == 3);
                chosen[k] = cls;
                int roll = _random.Next(1000);
                string student = StudentId(s);
                if (count > 20 && (cls - first) % 20 == 7) Row(cls, student, "student", "", "", "", "tobedeleted"); // classes with only inactive enrollments
                else if (roll < 20) Row(cls, student, "student", "", "2024-08-01", "2025-06-15");      // ended
                else if (roll < 30) Row(cls, student, "student", "", "2026-01-10", "2026-07-01"); // future (for as-of dates before 2026)
                else if (roll < 35) Row(cls, student, "student", "", "", "", "tobedeleted");
                else if (roll < 36) Row(cls, student + "-ghost", "student", "");                  // dangling user
                else if (roll < 37) Row(cls + _classes, student, "student", "");                  // dangling class
                else Row(cls, student, "student", "", "", "");
            }
        }
        return id;
    }
}
