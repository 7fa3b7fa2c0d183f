using System.Linq;
using SensoClassLink.Core.Eligibility;
using System.Management.Automation;
using SensoClassLink.Core.Senso;
using SensoClassLink.Errors;
using SensoClassLink.Models;

namespace SensoClassLink.Commands;

/// <summary>Finds Senso users by exact email, or lists and searches them.</summary>
[Cmdlet(VerbsCommon.Get, "SensoUser", DefaultParameterSetName = SearchSet)]
[OutputType(typeof(SensoUserInfo))]
public sealed class GetSensoUserCommand : SensoCommandBase
{
    private const string EmailSet = "Email";
    private const string SearchSet = "Search";
    private const int PageSize = 500;

    /// <summary>Exact email (case-insensitive). Binds from the pipeline by property name, e.g. from Get-ClassLinkTeacher.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = EmailSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Email { get; set; } = System.Array.Empty<string>();

    /// <summary>Text contained in the email or display name (case-insensitive); all users when omitted.</summary>
    [Parameter(ParameterSetName = SearchSet)]
    public string? Search { get; set; }

    /// <summary>Only users with this status (Active or Suspended); all when omitted.</summary>
    [Parameter(ParameterSetName = SearchSet)]
    [ValidateSet("Active", "Suspended", IgnoreCase = true)]
    public string? Status { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != EmailSet)
        {
            return;
        }
        foreach (string email in Email)
        {
            var user = Await(Senso.FindUserByEmailAsync(email, CancellationToken));
            if (user is null)
            {
                WriteItemError(new ItemNotFoundException($"Senso has no user with the email '{EmailAddress.Normalize(email)}'."),
                    ErrorIds.SensoUserNotFound, email);
                continue;
            }
            WriteObject(new SensoUserInfo(user));
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != SearchSet)
        {
            return;
        }
        var progress = new ProgressReporter(this, 1, "Listing Senso users");
        try
        {
            // Page by page, so a large tenant streams instead of being held whole.
            for (int skip = 0; ; skip += PageSize)
            {
                var page = Await(Senso.SearchUsersAsync(Search, PageSize, skip, CancellationToken));
                foreach (var user in page.Users.Where(u => Status is null || string.Equals(u.Status.ToString(), Status, System.StringComparison.OrdinalIgnoreCase)))
                {
                    WriteObject(new SensoUserInfo(user));
                }
                int read = skip + page.Users.Count;
                progress.Report($"{read:N0} of {page.Total:N0} users", page.Total == 0 ? -1 : (int)(100L * read / page.Total));
                if (page.Users.Count < PageSize || read >= page.Total)
                {
                    break;
                }
            }
        }
        finally
        {
            progress.Complete();
        }
    }
}
