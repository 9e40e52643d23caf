using InferenceServer.Contracts;
using InferenceServer.Engine.Models;
using InferenceServer.Errors;
using Microsoft.AspNetCore.Mvc;

namespace InferenceServer.Controllers;

/// <summary>The model names this server answers to, with context window, capabilities and where each runs.</summary>
[ApiController]
[Produces("application/json")]
public sealed class ModelsController : ControllerBase
{
    private readonly ModelRegistry _registry;

    public ModelsController(ModelRegistry registry) => _registry = registry;

    /// <summary>Lists the models.</summary>
    [HttpGet("models")]
    [HttpGet("v1/models")]
    [ProducesResponseType<ModelList>(StatusCodes.Status200OK)]
    public ModelList List() => new() { Data = [.. _registry.Served.Select(Card)] };

    /// <summary>Describes one model.</summary>
    [HttpGet("models/{id}")]
    [HttpGet("v1/models/{id}")]
    [ProducesResponseType<ModelCard>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorEnvelope>(StatusCodes.Status404NotFound)]
    public ModelCard Get(string id) =>
        _registry.TryResolve(id, out var served)
            ? Card(served)
            : throw new ApiException(StatusCodes.Status404NotFound, $"The model '{id}' does not exist.", "invalid_request_error", "model", "model_not_found");

    private static ModelCard Card(ServedModel served) => new()
    {
        Id = served.Name,
        Created = served.Model.LoadedAt.ToUnixTimeSeconds(),
        Root = served.Model.Id,
        ContextWindow = served.Model.ContextLength,
        MaxOutputTokens = served.Model.ContextLength,
        InputModalities = ["text"],
        OutputModalities = ["text"],
        Capabilities = new ModelCapabilities
        {
            Thinking = served.CanThink,
            ThinkingByDefault = served.CanThink && served.ThinkingByDefault,
            Streaming = true,
            Tools = true,
            JsonOutput = true,
            Fim = Engine.Text.FimFormat.For(served.Model.Tokenizer) is not null,
        },
        Runtime = new ModelRuntimeInfo
        {
            Profile = served.Model.Plan.RequestedProfile,
            ExecutionProvider = served.Model.Plan.EffectiveProvider,
            Fallback = served.Model.Plan.FallbackReason,
        },
    };
}
