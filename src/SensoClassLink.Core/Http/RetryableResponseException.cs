using System;

namespace SensoClassLink.Core.Http;

/// <summary>
/// A response that arrived but cannot be used (truncated, not JSON, an HTML page, no envelope): the attempt
/// failed and is retried. The message names what was wrong, never the body.
/// </summary>
public sealed class RetryableResponseException : Exception
{
    public RetryableResponseException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
