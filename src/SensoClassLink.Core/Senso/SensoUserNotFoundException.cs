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

    /// <summary>For operations that name the user by Senso id (a rename): <see cref="Email"/> then holds the id asked for.</summary>
    public static SensoUserNotFoundException ForId(string id) =>
        new(id, $"Senso has no user with the id '{id}'.");

    private SensoUserNotFoundException(string requested, string message)
        : base(message)
    {
        Email = requested;
    }

    public string Email { get; }
}
