using System.Net;
using System.Net.Http.Headers;
using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests;

/// <summary><c>GET /user/balance</c> and per-key token budgets: a spent budget gets 402 "Insufficient Balance".</summary>
public sealed class BalanceTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Models:0:Id"] = "deepseek-chat",
        ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
        ["Models:0:Thinking"] = "disabled",
        ["Balance:Currency"] = "CNY",
        ["Balance:PricePerMillionTokens"] = "1000000",
        ["Balance:TokenBudgets:sk-small"] = "40",
        ["Balance:TokenBudgets:sk-choices"] = "1000",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpRequestMessage Request(HttpMethod method, string path, string? bearer = null, string? apiKey = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Http.Json(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        return request;
    }

    [Fact]
    public async Task AKeyWithoutABudgetIsAlwaysAvailable()
    {
        var response = await _server.Client.SendAsync(Request(HttpMethod.Get, "user/balance", bearer: "sk-anyone"));
        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("is_available").GetBoolean());
        Assert.Equal(0, body.GetProperty("balance_infos").GetArrayLength());
    }

    [Fact]
    public async Task ABudgetShrinksWithUseAndASpentOneGets402()
    {
        async Task<string> Balance()
        {
            var body = await (await _server.Client.SendAsync(Request(HttpMethod.Get, "user/balance", apiKey: "sk-small"))).ReadJsonAsync();
            var info = body.GetProperty("balance_infos")[0];
            Assert.Equal("CNY", info.GetProperty("currency").GetString());
            Assert.Equal(info.GetProperty("total_balance").GetString(), info.GetProperty("granted_balance").GetString());
            return info.GetProperty("total_balance").GetString()!;
        }

        Assert.Equal("40.00", await Balance());
        var chat = new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 3 };
        var ok = await _server.Client.SendAsync(Request(HttpMethod.Post, "chat/completions", bearer: "sk-small", body: chat));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var used = (await ok.ReadJsonAsync()).GetProperty("usage").GetProperty("total_tokens").GetInt32();
        Assert.Equal($"{40 - used}.00", await Balance());

        // Spend the rest: the request that finds the budget at zero is refused.
        HttpResponseMessage refused = ok;
        for (var i = 0; i < 20 && refused.StatusCode == HttpStatusCode.OK; i++)
        {
            refused = await _server.Client.SendAsync(Request(HttpMethod.Post, "chat/completions", bearer: "sk-small", body: chat));
        }

        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        var error = (await refused.ReadJsonAsync()).GetProperty("error");
        Assert.Equal("Insufficient Balance", error.GetProperty("message").GetString());
        var balance = await (await _server.Client.SendAsync(Request(HttpMethod.Get, "user/balance", bearer: "sk-small"))).ReadJsonAsync();
        Assert.False(balance.GetProperty("is_available").GetBoolean());

        var other = await _server.Client.SendAsync(Request(HttpMethod.Post, "chat/completions", bearer: "sk-other", body: chat));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task EveryChoiceIsChargedAndThePromptOnce()
    {
        var chat = new { model = "deepseek-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 3, n = 3 };
        var ok = await _server.Client.SendAsync(Request(HttpMethod.Post, "chat/completions", bearer: "sk-choices", body: chat));
        var usage = (await ok.ReadJsonAsync()).GetProperty("usage");
        Assert.Equal(9, usage.GetProperty("completion_tokens").GetInt32());
        var balance = await (await _server.Client.SendAsync(Request(HttpMethod.Get, "user/balance", bearer: "sk-choices"))).ReadJsonAsync();
        var expected = 1000 - usage.GetProperty("prompt_tokens").GetInt32() - 9;
        Assert.Equal($"{expected}.00", balance.GetProperty("balance_infos")[0].GetProperty("total_balance").GetString());
    }
}
