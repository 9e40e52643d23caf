namespace InferenceServer.ModelForge.Demo;

/// <summary>
/// What the scripted forge model says. A script is chosen by a trigger word in the last user message (the last one
/// there, or after it; in a raw prompt without chat markers, the last one anywhere), mode 0 when there is none, and
/// starts from the last prompt token, <c>&lt;think&gt;</c> (thinking) or <c>&lt;/think&gt;</c>.
/// Within one mode every token appears once as a "current token", which is what lets plain weights follow it.
/// </summary>
public static class ForgeScripts
{
    /// <summary>Mode 0's answer, after <c>&lt;/think&gt;</c>.</summary>
    public const string DefaultAnswer = "Hello! This is the InferenceServer demo model: its replies are scripted, so configure a real one to chat.";

    /// <summary>Mode 0's reasoning, between <c>&lt;think&gt;</c> and <c>&lt;/think&gt;</c>.</summary>
    public const string DefaultReasoning = "Scripted reasoning goes first; then comes an answer";

    /// <summary>A prompt containing this word gets an answer that never ends by itself (for length and cancellation).</summary>
    public const string ForeverTrigger = "forever";

    /// <summary>The endless answer's first piece; then <see cref="ForeverLoop"/> repeats.</summary>
    public const string ForeverStart = "Counting:";

    public static IReadOnlyList<string> ForeverLoop { get; } = [" tick", " tock"];

    /// <summary>A prompt starting with this word gets a DeepSeek-marker tool call to <see cref="WeatherTool"/>.</summary>
    public const string WeatherTrigger = "weather";

    /// <summary>The reasoning before the weather tool call (thinking mode).</summary>
    public const string WeatherReasoning = "Calling a tool";

    public const string WeatherTool = "get_weather";

    public const string WeatherArguments = "{\"location\": \"Paris\"}";

    /// <summary>A prompt starting with this word gets a Hermes-form <c>&lt;tool_call&gt;</c> to <see cref="ClockTool"/>.</summary>
    public const string ClockTrigger = "clock";

    public const string ClockTool = "get_time";

    public const string ClockCall = "{\"name\":\"get_time\",\"arguments\":{\"hours\":5}}";

    /// <summary>A prompt starting with this word gets <see cref="JsonAnswer"/>.</summary>
    public const string JsonTrigger = "json";

    public const string JsonAnswer = "{\"answer\":\"yes\"}";

    /// <summary>A prompt with this word gets <see cref="SpacedJson"/> as its answer.</summary>
    public const string SpacedJsonTrigger = "pretty";

    /// <summary>
    /// JSON with whitespace in every kind of gap JSON allows (after <c>{</c>, <c>[</c>, <c>,</c> and <c>:</c>, before
    /// <c>:</c>, <c>]</c> and <c>}</c>; spaces, tabs, LF, CR LF and a nine-byte indent), over nested values. Its layout is irregular because a
    /// script uses each token once, and the Qwen2 pre-tokenizer makes the same indentation the same token.
    /// </summary>
    public const string SpacedJson = "{\n\t\"sky\":\"clear\",\r\n \"wind\" : {\n\"kph\": [ 5,\n7\n        ]\n}\n}";

    /// <summary>A prompt with this word gets a DeepSeek-marker tool call to <see cref="ForecastTool"/> with <see cref="SpacedJson"/> as its arguments.</summary>
    public const string ForecastTrigger = "forecast";

    public const string ForecastTool = "get_forecast";

    /// <summary>A raw completion prompt containing this word continues "… a time" with <see cref="StoryEnding"/>.</summary>
    public const string StoryTrigger = "Once";

    public const string StoryEnding = ", the end.";

    /// <summary>What the model writes into a FIM hole (after <c>&lt;｜fim▁end｜&gt;</c>).</summary>
    public const string FimFill = "return a + b";

    /// <summary>Words that must be single tokens in the forge vocabulary.</summary>
    public static IReadOnlyList<string> WholeWords { get; } =
    [
        "Hello", "!", " This", " is", " the", " InferenceServer", " demo", " model", ":", " its", " replies", " are",
        " scripted", ",", " so", " configure", " a", " real", " one", " to", " chat", ".",
        "Scripted", " reasoning", " goes", " first", ";", " then", " comes", " an", " answer",
        ForeverTrigger, "Counting", " tick", " tock",
        WeatherTrigger, "Calling", " tool", "get", "_weather", "{\"", "location", "\":", " \"", "Paris", "\"}",
        ClockTrigger, "name", "\":\"", "_time", "\",\"", "arguments", "\":{\"", "hours", "}}",
        JsonTrigger, "answer", "yes",
        StoryTrigger, " upon", " time", " end", "return", " +", " b",
        SpacedJsonTrigger, "{\n", "\"sky", "\":\"", "clear", "\",\r\n", "wind", " :", " {\n", "\"kph", " [", ",\n", "       ", " ]\n", "}\n",
        ForecastTrigger, "_forecast",
    ];
}
