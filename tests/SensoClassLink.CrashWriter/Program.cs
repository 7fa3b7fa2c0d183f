using SensoClassLink.Core.Senso;
using SensoClassLink.Core.Senso.Local;
using SensoClassLink.Core.State;

// Usage:
//   journal <state.db>   commits one batch of 1000 journal rows, prints "committed", then appends an endless batch
//                        in one transaction, printing "inside" once 5000 rows are written (and keeps writing).
//   groups <tenant.db>   replaces one teacher's 300 groups (40 members each) with set A, then B, then A ... forever,
//                        printing "committed <A|B>" after each transaction.
string mode = args[0];
string path = args[1];
if (mode == "journal")
{
    using var store = new StateStore(path);
    store.ImportJournal.Append(Rows("committed-run", 1000));
    Console.WriteLine("committed");
    store.ImportJournal.Append(Endless());
    return 0;
}
if (mode == "groups")
{
    using var tenant = new LocalTenantProvider(path, new[] { "Teacher" }, new[] { "Main" });
    tenant.CreateUser(new NewSensoUser { Email = "teacher@d.org", DisplayName = "Teacher", Role = "Teacher", Site = "Main" });
    for (long i = 0; ; i++)
    {
        string set = i % 2 == 0 ? "A" : "B";
        tenant.ReplaceUserGroups("teacher@d.org", Groups(set));
        Console.WriteLine("committed " + set);
    }
}
Console.Error.WriteLine("unknown mode " + mode);
return 2;

static IEnumerable<ImportJournalEntry> Rows(string run, int count) =>
    Enumerable.Range(0, count).Select(i => new ImportJournalEntry { RunId = run, Email = $"t{i}@d.org", Status = "Created" });

static IEnumerable<ImportJournalEntry> Endless()
{
    for (long i = 0; ; i++)
    {
        if (i == 5000)
        {
            Console.WriteLine("inside");
        }
        yield return new ImportJournalEntry { RunId = "killed-run", Email = $"k{i}@d.org", Status = "Created" };
        if (i > 5000)
        {
            Thread.Sleep(1);
        }
    }
}

static IReadOnlyList<SensoGroup> Groups(string set) =>
    Enumerable.Range(0, 300).Select(g => new SensoGroup
    {
        Key = $"{set}-{g:000}",
        Name = $"Class {set}{g}",
        Members = Enumerable.Range(0, 40).Select(m => $"{set}-s{g}-{m}@d.org").ToArray(),
    }).ToList();
