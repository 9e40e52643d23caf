namespace InferenceServer.Engine.Text.Templates;

/// <summary>
/// Recursive-descent parser for the Jinja subset chat templates use. Node field use: Print/If/For/Set take their
/// expression in Items[0] (For: Items[1] is the optional <c>if</c> filter, Names the loop targets); Macro keeps its
/// parameters in Names and defaults in KeywordNames/KeywordValues; Call/Filter/Test keep the callee or operand in
/// Items[0] and positional arguments after it.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private int _index;

    private Parser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    private Token Current => _tokens[_index];

    public static Node[] ParseTemplate(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        return parser.ParseBody([], 0, out _);
    }

    private TemplateException Error(string message, int? line = null) =>
        new($"Template syntax error at line {line ?? Current.Line}: {message}");

    private Node[] ParseBody(string[] endTags, int openedAt, out string? endTag)
    {
        var nodes = new List<Node>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Text:
                    nodes.Add(new Node { Kind = NodeKind.Text, Value = token.Value, Line = token.Line });
                    _index++;
                    break;
                case TokenKind.VariableBegin:
                    _index++;
                    nodes.Add(new Node { Kind = NodeKind.Print, Items = [ParseTuple()], Line = token.Line });
                    Expect(TokenKind.VariableEnd, "end of print statement '}}'");
                    break;
                case TokenKind.BlockBegin:
                    _index++;
                    var name = Current;
                    if (name.Kind != TokenKind.Name)
                    {
                        throw Error("expected a statement name after '{%'");
                    }

                    if (Array.IndexOf(endTags, name.Value) >= 0)
                    {
                        _index++;
                        endTag = name.Value;
                        return [.. nodes];
                    }

                    nodes.Add(ParseStatement(endTags));
                    break;
                default:
                    if (endTags.Length > 0)
                    {
                        throw Error($"unexpected end of template; the block opened at line {openedAt} needs "
                            + $"'{{% {endTags[^1]} %}}'");
                    }

                    endTag = null;
                    return [.. nodes];
            }
        }
    }

    private void Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Error($"expected {what}, got '{Describe(Current)}'");
        }

        _index++;
    }

    private void ExpectBlockEnd() => Expect(TokenKind.BlockEnd, "end of statement '%}'");

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.BlockEnd => "%}",
        TokenKind.VariableEnd => "}}",
        TokenKind.End => "end of template",
        _ => token.Value,
    };

    private bool IsName(string name) => Current.Kind == TokenKind.Name && Current.Value == name;

    private bool IsOp(string op) => Current.Kind == TokenKind.Operator && Current.Value == op;

    private bool SkipOp(string op)
    {
        if (!IsOp(op))
        {
            return false;
        }

        _index++;
        return true;
    }

    private void ExpectOp(string op)
    {
        if (!SkipOp(op))
        {
            throw Error($"expected '{op}', got '{Describe(Current)}'");
        }
    }

    private string ExpectName()
    {
        if (Current.Kind != TokenKind.Name)
        {
            throw Error($"expected a name, got '{Describe(Current)}'");
        }

        return _tokens[_index++].Value;
    }

    private Node ParseStatement(string[] outerEndTags)
    {
        var token = Current;
        var line = token.Line;
        _index++;
        switch (token.Value)
        {
            case "if":
                return ParseIf(line);
            case "for":
                return ParseFor(line);
            case "set":
                return ParseSet(line);
            case "macro":
                return ParseMacro(line);
            case "call":
                return ParseCallBlock(line);
            case "filter":
                return ParseFilterBlock(line);
            case "break" or "continue":
                ExpectBlockEnd();
                return new Node { Kind = token.Value == "break" ? NodeKind.Break : NodeKind.Continue, Line = line };
            case "generation":
                ExpectBlockEnd();
                var body = ParseBody(["endgeneration"], line, out _);
                ExpectBlockEnd();
                return new Node { Kind = NodeKind.If, Items = [Constant(true, line)], Body = body, Line = line };
            default:
                var hint = outerEndTags.Length > 0 ? $"; expected '{string.Join("' or '", outerEndTags)}'" : string.Empty;
                throw Error($"unknown or misplaced statement '{token.Value}'{hint}", line);
        }
    }

    private Node ParseIf(int line)
    {
        var condition = ParseTuple();
        ExpectBlockEnd();
        var body = ParseBody(["elif", "else", "endif"], line, out var end);
        Node[]? otherwise = null;
        if (end == "elif")
        {
            otherwise = [ParseIf(_tokens[_index - 1].Line)];
        }
        else if (end == "else")
        {
            ExpectBlockEnd();
            otherwise = ParseBody(["endif"], line, out _);
            ExpectBlockEnd();
        }
        else
        {
            ExpectBlockEnd();
        }

        return new Node { Kind = NodeKind.If, Items = [condition], Body = body, Else = otherwise, Line = line };
    }

    private Node ParseFor(int line)
    {
        var targets = ParseTargets();
        if (!IsName("in"))
        {
            throw Error("expected 'in' in for loop");
        }

        _index++;
        var iterable = ParseTuple(withConditional: false);
        Node[] items = [iterable];
        if (IsName("if"))
        {
            _index++;
            items = [iterable, ParseExpression()];
        }

        if (IsName("recursive"))
        {
            throw Error("recursive for loops are not supported");
        }

        ExpectBlockEnd();
        var body = ParseBody(["else", "endfor"], line, out var end);
        Node[]? otherwise = null;
        if (end == "else")
        {
            ExpectBlockEnd();
            otherwise = ParseBody(["endfor"], line, out _);
        }

        ExpectBlockEnd();
        return new Node { Kind = NodeKind.For, Names = targets, Items = items, Body = body, Else = otherwise, Line = line };
    }

    private string[] ParseTargets()
    {
        var parenthesized = SkipOp("(");
        var names = new List<string> { ExpectName() };
        while (SkipOp(","))
        {
            if (Current.Kind != TokenKind.Name || IsName("in"))
            {
                break;
            }

            names.Add(ExpectName());
        }

        if (parenthesized)
        {
            ExpectOp(")");
        }

        return [.. names];
    }

    private Node ParseSet(int line)
    {
        var first = ExpectName();
        if (SkipOp("."))
        {
            var attribute = ExpectName();
            ExpectOp("=");
            var value = ParseTuple();
            ExpectBlockEnd();
            return new Node { Kind = NodeKind.SetAttribute, Name = first, Value = attribute, Items = [value], Line = line };
        }

        var names = new List<string> { first };
        while (SkipOp(","))
        {
            names.Add(ExpectName());
        }

        if (SkipOp("="))
        {
            var value = ParseTuple();
            ExpectBlockEnd();
            return new Node { Kind = NodeKind.Set, Names = [.. names], Items = [value], Line = line };
        }

        ExpectBlockEnd();
        var body = ParseBody(["endset"], line, out _);
        ExpectBlockEnd();
        return new Node { Kind = NodeKind.SetBlock, Names = [.. names], Body = body, Line = line };
    }
}
