using InferenceServer.Engine.Generation;
using InferenceServer.Errors;

namespace InferenceServer.Account;

/// <summary>
/// Refuses generation requests (POST) from a key whose budget is spent with 402 "Insufficient Balance", and charges
/// each finished generation's tokens (the usage the controller recorded) to its key.
/// </summary>
internal sealed class TokenBudgetMiddleware
{
    private readonly RequestDelegate _next;
    private readonly TokenLedger _ledger;

    public TokenBudgetMiddleware(RequestDelegate next, TokenLedger ledger)
    {
        _next = next;
        _ledger = ledger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (_ledger.Options.TokenBudgets.Count == 0 || !HttpMethods.IsPost(context.Request.Method))
        {
            await _next(context);
            return;
        }

        var key = TokenLedger.KeyOf(context.Request);
        if (_ledger.Remaining(key) is <= 0)
        {
            throw new ApiException(StatusCodes.Status402PaymentRequired, "Insufficient Balance", "unknown_error", null, "invalid_request_error");
        }

        try
        {
            await _next(context);
        }
        finally
        {
            if (context.Items["usage"] is GenerationUsage usage)
            {
                _ledger.Charge(key, usage.PromptTokens + usage.CompletionTokens);
            }
        }
    }
}
