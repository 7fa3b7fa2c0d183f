using System;

namespace SensoClassLink.Core.Senso;

/// <summary>An operation needs a Senso user (e.g. a group owner) that the tenant does not have.</summary>
public sealed class SensoUserNotFoundException : Exception
{
    public SensoUserNotFoundException(string email)
        : base($"Senso has no user with the email '{email}'. Import the teacher (Import-SensoUser) before syncing their groups.")
    {
        Email = email;
    }

    public string Email { get; }
}
