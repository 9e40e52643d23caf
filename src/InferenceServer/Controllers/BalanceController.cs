using System.Globalization;
using InferenceServer.Account;
using InferenceServer.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Controllers;

/// <summary>The caller's balance: the rest of its token budget, priced; unlimited keys are always available.</summary>
[ApiController]
[Produces("application/json")]
public sealed class BalanceController : ControllerBase
{
    private readonly TokenLedger _ledger;

    public BalanceController(TokenLedger ledger) => _ledger = ledger;

    /// <summary>Whether the API key can make calls, and its balance.</summary>
    [HttpGet("user/balance")]
    [HttpGet("v1/user/balance")]
    [ProducesResponseType<BalanceResponse>(StatusCodes.Status200OK)]
    public ActionResult<BalanceResponse> Get(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_ledger.Remaining(TokenLedger.KeyOf(Request)) is not { } left)
        {
            return new BalanceResponse { IsAvailable = true, BalanceInfos = [] };
        }

        var amount = (left * _ledger.Options.PricePerMillionTokens / 1_000_000m).ToString("0.00", CultureInfo.InvariantCulture);
        return new BalanceResponse
        {
            IsAvailable = left > 0,
            BalanceInfos = [new BalanceInfo { Currency = _ledger.Options.Currency, TotalBalance = amount, GrantedBalance = amount, ToppedUpBalance = "0.00" }],
        };
    }
}
