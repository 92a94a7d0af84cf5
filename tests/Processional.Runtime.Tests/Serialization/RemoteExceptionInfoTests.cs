using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary><see cref="RemoteExceptionInfo"/>: capture, round trip, limits, and reading that never instantiates a named type.</summary>
public sealed class RemoteExceptionInfoTests
{
    private static T Thrown<T>(Func<T> create)
        where T : Exception
    {
        try
        {
            throw create();
        }
        catch (T ex)
        {
            return ex;
        }
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Capture_keeps_type_message_stack_hresult_inner_exception_and_data()
    {
        var inner = Thrown(static () => new FormatException("bad format"));
        var outer = Thrown(() => new InvalidOperationException("it failed", inner));
        outer.Data["count"] = 42;
        outer.Data["name"] = "value";
        outer.Data[7L] = null;
        outer.Data["when"] = new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc);
        outer.Data["other"] = new Uri("http://x/");

        var info = RemoteExceptionInfo.Capture(outer);
        var read = ProcessionalSerializer.Deserialize<RemoteExceptionInfo>(ProcessionalSerializer.Serialize(info))!;

        Assert.Equal("System.InvalidOperationException", read.TypeName);
        Assert.Equal("it failed", read.Message);
        Assert.Equal(outer.StackTrace, read.StackTrace);
        Assert.Contains(nameof(Thrown), read.StackTrace, StringComparison.Ordinal);
        Assert.Equal(outer.HResult, read.HResult);
        var readInner = Assert.Single(read.InnerExceptions);
        Assert.Equal(("System.FormatException", "bad format"), (readInner.TypeName, readInner.Message));
        Assert.Empty(readInner.InnerExceptions);

        var data = read.Data.ToDictionary(static pair => pair.Key, static pair => pair.Value);
        Assert.Equal(42, data["count"]);
        Assert.Equal("value", data["name"]);
        Assert.Null(data[7L]);
        Assert.Equal(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), data["when"]);
        Assert.Equal("http://x/", data["other"]);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task An_aggregate_exception_keeps_all_its_inner_exceptions()
    {
        var aggregate = new AggregateException(new ArgumentException("a"), new TimeoutException("b"));

        var read = ProcessionalSerializer.Deserialize<RemoteExceptionInfo>(ProcessionalSerializer.Serialize(RemoteExceptionInfo.Capture(aggregate)))!;

        Assert.Equal(["System.ArgumentException", "System.TimeoutException"], read.InnerExceptions.Select(static e => e.TypeName));
        Assert.Null(read.StackTrace);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Capture_keeps_a_bounded_number_of_inner_levels()
    {
        Exception chain = new InvalidOperationException("0");
        for (var i = 1; i <= 100; i++)
        {
            chain = new InvalidOperationException(i.ToString(System.Globalization.CultureInfo.InvariantCulture), chain);
        }

        var info = RemoteExceptionInfo.Capture(chain);
        var levels = 0;
        for (var level = info; level.InnerExceptions.Count > 0; level = level.InnerExceptions[0])
        {
            levels++;
        }

        Assert.Equal(RemoteExceptionInfo.DefaultMaxInnerDepth, levels);
        Assert.Empty(RemoteExceptionInfo.Capture(chain, maxInnerDepth: 0).InnerExceptions);

        // Nested 32 deep, it still reads under the default depth limit.
        Assert.NotNull(ProcessionalSerializer.Deserialize<RemoteExceptionInfo>(ProcessionalSerializer.Serialize(info)));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Capture_survives_members_that_throw()
    {
        var info = RemoteExceptionInfo.Capture(new HostileException());

        Assert.Contains("reading it threw System.NotSupportedException", info.Message, StringComparison.Ordinal);
        Assert.Equal("(Processional.Tests.Serialization.RemoteExceptionInfoTests+Hostile.ToString() threw System.NotSupportedException)", info.Data.Single().Value);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task ToString_reads_like_an_exception()
    {
        var info = RemoteExceptionInfo.Capture(new InvalidOperationException("outer", new FormatException("inner")));

        Assert.Equal(
            "System.InvalidOperationException: outer ---> System.FormatException: inner" + Environment.NewLine + "   --- End of inner exception stack trace ---",
            info.ToString());
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Reading_carries_any_type_name_as_text_and_rejects_unknown_data_kinds()
    {
        // A type name that exists nowhere is just a string; nothing is looked up or created from it.
        var info = new RemoteExceptionInfo { TypeName = "Evil.Payload, Evil", Message = "m", Data = [new("k", 1.5)] };
        var read = ProcessionalSerializer.Deserialize<RemoteExceptionInfo>(ProcessionalSerializer.Serialize(info))!;
        Assert.Equal("Evil.Payload, Evil", read.TypeName);
        Assert.Equal(1.5, read.Data.Single().Value);

        // Data entry with tag 1 (TypeCode.Object) is not a kind that travels.
        var bytes = Hex.Bytes("06 FEFFFFFF 01000000 61 00000000 FFFFFFFF 00000000 00000000 01000000 12 FEFFFFFF0100000061 01");
        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<RemoteExceptionInfo>(bytes));
        Assert.Contains("unknown kind 1", ex.Message, StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Fewer_members_read_with_defaults_and_more_are_rejected()
    {
        var two = ProcessionalSerializer.Deserialize<RemoteExceptionInfo>(Hex.Bytes("02 FEFFFFFF 01000000 61 FEFFFFFF 01000000 62"))!;
        Assert.Equal(("a", "b", null, 0), (two.TypeName, two.Message, two.StackTrace, two.HResult));
        Assert.Empty(two.InnerExceptions);

        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<RemoteExceptionInfo>(Hex.Bytes("07")));
        return Task.CompletedTask;
    }

    private sealed class HostileException : Exception
    {
        public HostileException()
        {
            Data["bad"] = new Hostile();
        }

        public override string Message => throw new NotSupportedException();
    }

    private sealed class Hostile
    {
        public override string ToString() => throw new NotSupportedException();
    }
}
