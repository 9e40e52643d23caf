namespace InferenceServer.Engine.Text.Templates;

/// <summary>Expression grammar, with Jinja's precedence (filters and tests bind tighter than arithmetic).</summary>
internal sealed partial class Parser
{
    private static readonly string[] CompareOps = ["==", "!=", "<", ">", "<=", ">="];

    private static Node Constant(object? value, int line) => new() { Kind = NodeKind.Constant, Value = value, Line = line };

    private Node ParseMacro(int line)
    {
        var name = ExpectName();
        var (parameters, defaultNames, defaults) = ParseParameters();
        ExpectBlockEnd();
        var body = ParseBody(["endmacro"], line, out _);
        if (Current.Kind == TokenKind.Name)
        {
            _index++;
        }

        ExpectBlockEnd();
        return new Node
        {
            Kind = NodeKind.Macro,
            Name = name,
            Names = parameters,
            KeywordNames = defaultNames,
            KeywordValues = defaults,
            Body = body,
            Line = line,
        };
    }

    private (string[] Names, string[] DefaultNames, Node[] Defaults) ParseParameters()
    {
        var names = new List<string>();
        var defaultNames = new List<string>();
        var defaults = new List<Node>();
        if (!SkipOp("("))
        {
            return ([], [], []);
        }

        while (!SkipOp(")"))
        {
            if (names.Count > 0)
            {
                ExpectOp(",");
                if (SkipOp(")"))
                {
                    break;
                }
            }

            var name = ExpectName();
            names.Add(name);
            if (SkipOp("="))
            {
                defaultNames.Add(name);
                defaults.Add(ParseExpression());
            }
        }

        return ([.. names], [.. defaultNames], [.. defaults]);
    }

    private Node ParseCallBlock(int line)
    {
        var (parameters, defaultNames, defaults) = IsOp("(") ? ParseParameters() : ([], [], []);
        var call = ParseExpression();
        if (call.Kind != NodeKind.Call)
        {
            throw Error("expected a macro call in the call block", line);
        }

        ExpectBlockEnd();
        var body = ParseBody(["endcall"], line, out _);
        ExpectBlockEnd();
        return new Node
        {
            Kind = NodeKind.CallBlock,
            Names = parameters,
            KeywordNames = defaultNames,
            KeywordValues = defaults,
            Items = [call],
            Body = body,
            Line = line,
        };
    }

    private Node ParseFilterBlock(int line)
    {
        var name = ExpectName();
        if (!KnownNames.Filters.Contains(name))
        {
            throw Error($"no filter named '{name}'", line);
        }

        var (args, keywordNames, keywordValues) = IsOp("(") ? ParseArguments() : ([], [], []);
        ExpectBlockEnd();
        var body = ParseBody(["endfilter"], line, out _);
        ExpectBlockEnd();
        return new Node
        {
            Kind = NodeKind.FilterBlock,
            Name = name,
            Items = [.. args],
            KeywordNames = keywordNames,
            KeywordValues = keywordValues,
            Body = body,
            Line = line,
        };
    }

    private Node ParseTuple(bool withConditional = true, bool parenthesized = false)
    {
        var line = Current.Line;
        var items = new List<Node>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                if (!SkipOp(","))
                {
                    break;
                }

                isTuple = true;
            }

            if (Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || IsOp(")") || IsName("if"))
            {
                break;
            }

            items.Add(withConditional ? ParseExpression() : ParseOr());
        }

        if (!isTuple && items.Count == 1)
        {
            return items[0];
        }

        if (items.Count == 0 && !parenthesized)
        {
            throw Error($"expected an expression, got '{Describe(Current)}'");
        }

        return new Node { Kind = NodeKind.Tuple, Items = [.. items], Line = line };
    }

    private Node ParseExpression()
    {
        var expr = ParseOr();
        while (IsName("if"))
        {
            var line = Current.Line;
            _index++;
            var condition = ParseOr();
            Node[] items = [expr, condition];
            if (IsName("else"))
            {
                _index++;
                items = [expr, condition, ParseExpression()];
            }

            expr = new Node { Kind = NodeKind.Conditional, Items = items, Line = line };
        }

        return expr;
    }

    private Node ParseOr()
    {
        var left = ParseAnd();
        while (IsName("or"))
        {
            _index++;
            left = Binary("or", left, ParseAnd());
        }

        return left;
    }

    private Node ParseAnd()
    {
        var left = ParseNot();
        while (IsName("and"))
        {
            _index++;
            left = Binary("and", left, ParseNot());
        }

        return left;
    }

    private Node ParseNot()
    {
        if (IsName("not"))
        {
            var line = Current.Line;
            _index++;
            return new Node { Kind = NodeKind.Unary, Name = "not", Items = [ParseNot()], Line = line };
        }

        return ParseCompare();
    }

    private Node ParseCompare()
    {
        var first = ParseMath1();
        List<string>? ops = null;
        List<Node>? operands = null;
        while (true)
        {
            string op;
            if (Current.Kind == TokenKind.Operator && Array.IndexOf(CompareOps, Current.Value) >= 0)
            {
                op = Current.Value;
                _index++;
            }
            else if (IsName("in"))
            {
                op = "in";
                _index++;
            }
            else if (IsName("not") && _tokens[_index + 1].Kind == TokenKind.Name && _tokens[_index + 1].Value == "in")
            {
                op = "not in";
                _index += 2;
            }
            else
            {
                break;
            }

            (ops ??= []).Add(op);
            (operands ??= [first]).Add(ParseMath1());
        }

        return ops is null ? first : new Node { Kind = NodeKind.Compare, Names = [.. ops], Items = [.. operands!], Line = first.Line };
    }

    private Node ParseMath1()
    {
        var left = ParseConcat();
        while (IsOp("+") || IsOp("-"))
        {
            var op = _tokens[_index++].Value;
            left = Binary(op, left, ParseConcat());
        }

        return left;
    }

    private Node ParseConcat()
    {
        var first = ParseMath2();
        if (!IsOp("~"))
        {
            return first;
        }

        var items = new List<Node> { first };
        while (SkipOp("~"))
        {
            items.Add(ParseMath2());
        }

        return new Node { Kind = NodeKind.Concat, Items = [.. items], Line = first.Line };
    }

    private Node ParseMath2()
    {
        var left = ParsePow();
        while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%"))
        {
            var op = _tokens[_index++].Value;
            left = Binary(op, left, ParsePow());
        }

        return left;
    }

    private Node ParsePow()
    {
        var left = ParseUnary(true);
        while (SkipOp("**"))
        {
            left = Binary("**", left, ParseUnary(true));
        }

        return left;
    }

    private static Node Binary(string op, Node left, Node right) =>
        new() { Kind = NodeKind.Binary, Name = op, Items = [left, right], Line = left.Line };
}
