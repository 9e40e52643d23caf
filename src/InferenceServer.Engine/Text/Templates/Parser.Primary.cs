using System.Globalization;

namespace InferenceServer.Engine.Text.Templates;

/// <summary>Unary operators, literals, postfix access, calls, filters and tests.</summary>
internal sealed partial class Parser
{
    private Node ParseUnary(bool withFilter)
    {
        var line = Current.Line;
        Node node;
        if (IsOp("-") || IsOp("+"))
        {
            var op = _tokens[_index++].Value;
            node = new Node { Kind = NodeKind.Unary, Name = op, Items = [ParseUnary(false)], Line = line };
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        return withFilter ? ParseFilterExpression(node) : node;
    }

    private Node ParsePrimary()
    {
        var token = Current;
        var line = token.Line;
        switch (token.Kind)
        {
            case TokenKind.Name:
                _index++;
                return token.Value switch
                {
                    "true" or "True" => Constant(true, line),
                    "false" or "False" => Constant(false, line),
                    "none" or "None" => Constant(null, line),
                    _ => new Node { Kind = NodeKind.Variable, Name = token.Value, Line = line },
                };
            case TokenKind.String:
                _index++;
                var text = token.Value;
                while (Current.Kind == TokenKind.String)
                {
                    text += _tokens[_index++].Value;
                }

                return Constant(text, line);
            case TokenKind.Integer:
                _index++;
                return long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
                    ? Constant(integer, line)
                    : Constant(double.Parse(token.Value, CultureInfo.InvariantCulture), line);
            case TokenKind.Float:
                _index++;
                return Constant(double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture), line);
            case TokenKind.Operator when token.Value == "(":
                _index++;
                var inner = ParseTuple(parenthesized: true);
                ExpectOp(")");
                return inner;
            case TokenKind.Operator when token.Value == "[":
                _index++;
                return new Node { Kind = NodeKind.List, Items = ParseSequence("]"), Line = line };
            case TokenKind.Operator when token.Value == "{":
                _index++;
                var entries = new List<Node>();
                while (!SkipOp("}"))
                {
                    if (entries.Count > 0)
                    {
                        ExpectOp(",");
                        if (SkipOp("}"))
                        {
                            break;
                        }
                    }

                    entries.Add(ParseExpression());
                    ExpectOp(":");
                    entries.Add(ParseExpression());
                }

                return new Node { Kind = NodeKind.Dict, Items = [.. entries], Line = line };
            default:
                throw Error($"unexpected '{Describe(token)}'");
        }
    }

    private Node[] ParseSequence(string close)
    {
        var items = new List<Node>();
        while (!SkipOp(close))
        {
            if (items.Count > 0)
            {
                ExpectOp(",");
                if (SkipOp(close))
                {
                    break;
                }
            }

            items.Add(ParseExpression());
        }

        return [.. items];
    }

    private Node ParsePostfix(Node node)
    {
        while (true)
        {
            var line = Current.Line;
            if (SkipOp("."))
            {
                if (Current.Kind == TokenKind.Integer)
                {
                    var index = Constant(long.Parse(_tokens[_index++].Value, CultureInfo.InvariantCulture), line);
                    node = new Node { Kind = NodeKind.GetItem, Items = [node, index], Line = line };
                }
                else
                {
                    node = new Node { Kind = NodeKind.GetAttribute, Name = ExpectName(), Items = [node], Line = line };
                }
            }
            else if (SkipOp("["))
            {
                node = ParseSubscript(node, line);
            }
            else if (IsOp("("))
            {
                node = ParseCall(node, line);
            }
            else
            {
                return node;
            }
        }
    }

    private Node ParseSubscript(Node target, int line)
    {
        Node? start = IsOp(":") ? null : ParseExpression();
        if (!SkipOp(":"))
        {
            ExpectOp("]");
            return new Node { Kind = NodeKind.GetItem, Items = [target, start!], Line = line };
        }

        var stop = IsOp(":") || IsOp("]") ? Constant(null, line) : ParseExpression();
        var step = Constant(null, line);
        if (SkipOp(":") && !IsOp("]"))
        {
            step = ParseExpression();
        }

        ExpectOp("]");
        return new Node { Kind = NodeKind.Slice, Items = [target, start ?? Constant(null, line), stop, step], Line = line };
    }

    private Node ParseCall(Node callee, int line)
    {
        var (args, keywordNames, keywordValues) = ParseArguments();
        return new Node
        {
            Kind = NodeKind.Call,
            Items = [callee, .. args],
            KeywordNames = keywordNames,
            KeywordValues = keywordValues,
            Line = line,
        };
    }

    private (List<Node> Args, string[] KeywordNames, Node[] KeywordValues) ParseArguments()
    {
        ExpectOp("(");
        var args = new List<Node>();
        var names = new List<string>();
        var values = new List<Node>();
        while (!SkipOp(")"))
        {
            if (args.Count + names.Count > 0)
            {
                ExpectOp(",");
                if (SkipOp(")"))
                {
                    break;
                }
            }

            var next = _tokens[_index + 1];
            if (Current.Kind == TokenKind.Name && next.Kind == TokenKind.Operator && next.Value == "=")
            {
                names.Add(ExpectName());
                _index++;
                values.Add(ParseExpression());
            }
            else if (names.Count > 0)
            {
                throw Error("positional argument follows keyword argument");
            }
            else
            {
                args.Add(ParseExpression());
            }
        }

        return (args, [.. names], [.. values]);
    }

    private Node ParseFilterExpression(Node node)
    {
        while (true)
        {
            var line = Current.Line;
            if (SkipOp("|"))
            {
                var name = ExpectName();
                if (!KnownNames.Filters.Contains(name))
                {
                    throw Error($"no filter named '{name}'");
                }

                var (args, keywordNames, keywordValues) = IsOp("(") ? ParseArguments() : ([], [], []);
                node = new Node
                {
                    Kind = NodeKind.Filter,
                    Name = name,
                    Items = [node, .. args],
                    KeywordNames = keywordNames,
                    KeywordValues = keywordValues,
                    Line = line,
                };
            }
            else if (IsName("is"))
            {
                _index++;
                node = ParseTest(node, line);
            }
            else if (IsOp("("))
            {
                node = ParseCall(node, line);
            }
            else
            {
                return node;
            }
        }
    }

    private Node ParseTest(Node operand, int line)
    {
        var negated = false;
        if (IsName("not"))
        {
            _index++;
            negated = true;
        }

        var name = ExpectName();
        if (!KnownNames.Tests.Contains(name))
        {
            throw Error($"no test named '{name}'");
        }

        List<Node> args = [];
        if (IsOp("("))
        {
            (args, _, _) = ParseArguments();
        }
        else if ((Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                     || IsOp("(") || IsOp("[") || IsOp("{"))
                 && !IsName("else") && !IsName("or") && !IsName("and"))
        {
            if (IsName("is"))
            {
                throw Error("you cannot chain multiple tests with 'is'");
            }

            args.Add(ParsePostfix(ParsePrimary()));
        }

        return new Node { Kind = NodeKind.Test, Name = name, Value = negated, Items = [operand, .. args], Line = line };
    }
}
