using CsCheck;

namespace InferenceServer.IntegrationTests.Fuzz;

/// <summary>
/// One field of a route's schema: its name, values a client could rightly send, and (<see cref="Odd"/>) values of the
/// right type the route must still refuse (an unknown model, a size the model lacks).
/// </summary>
public sealed record Field(string Name, Gen<string> Valid, Presence Presence = Presence.Optional, Gen<string>? Odd = null);
