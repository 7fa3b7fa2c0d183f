using System;
using System.Net;

namespace SensoClassLink.Core.Senso.Api;

/// <summary>
/// The Senso API answered with an error (an <c>application/problem+json</c> document) or could not be reached.
/// The message names the method, path and status; never a token, and never a request or response body beyond the problem's detail.
/// </summary>
public sealed class SensoApiException : Exception
{
    public SensoApiException(string message, HttpStatusCode? statusCode = null, string? problemType = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ProblemType = problemType;
    }

    public HttpStatusCode? StatusCode { get; }
    public string? ProblemType { get; }
}
