using Processional.Serialization;

// In the namespace of the types it serializes, so that their names win over same-named test types of other files in
// Processional.Tests.Serialization.
namespace Processional.Tests.Serialization.Generated;

/// <summary>
/// Round trips through the formatters that Processional's source generator writes for this project's types (it runs
/// here as an analyzer; the calls of <see cref="ProcessionalSerializer"/> below are what make it write them).
/// </summary>
public sealed class GeneratedFormatterTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_class_of_two_ints_matches_the_vector()
    {
        var bytes = ProcessionalSerializer.Serialize(new XY { X = 1, Y = 2 });

        Assert.Equal(Hex("02 01 00 00 00 02 00 00 00"), bytes);
        var read = ProcessionalSerializer.Deserialize<XY>(bytes)!;
        Assert.Equal((1, 2), (read.X, read.Y));
        Assert.Equal(Hex("FF"), ProcessionalSerializer.Serialize<XY>(null));
        Assert.Null(ProcessionalSerializer.Deserialize<XY>(Hex("FF")));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_person_matches_the_vector()
    {
        var bytes = ProcessionalSerializer.Serialize(new Person { Age = 40, Name = "John" });

        Assert.Equal(Hex("02 28 00 00 00 FB FF FF FF 04 00 00 00 4A 6F 68 6E"), bytes);
        var read = ProcessionalSerializer.Deserialize<Person>(bytes)!;
        Assert.Equal(40, read.Age);
        Assert.Equal("John", read.Name);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_union_matches_the_vector_and_wide_tags_use_the_250_marker()
    {
        var bytes = ProcessionalSerializer.Serialize<IMessage>(new Xyz { XYZ = 999 });

        Assert.Equal(Hex("00 01 E7 03 00 00"), bytes);
        Assert.Equal(999, Assert.IsType<Xyz>(ProcessionalSerializer.Deserialize<IMessage>(bytes)).XYZ);

        var wide = ProcessionalSerializer.Serialize<IMessage>(new Abc { Text = "" });
        Assert.Equal(Hex("FA 2C 01 01 00 00 00 00"), wide);
        Assert.Equal("", Assert.IsType<Abc>(ProcessionalSerializer.Deserialize<IMessage>(wide)).Text);

        Assert.Equal(Hex("FF"), ProcessionalSerializer.Serialize<IMessage>(null));
        Assert.Null(ProcessionalSerializer.Deserialize<IMessage>(Hex("FF")));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task An_unknown_union_tag_is_rejected()
    {
        var error = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<IMessage>(Hex("07 00")));

        Assert.Contains("Union tag 7", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Offset);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Derived_types_of_an_abstract_class_round_trip_as_a_union()
    {
        var drawing = new Drawing
        {
            Main = new Circle { Name = "c", Radius = 2.5 },
            Second = new Square { Name = "s", Side = 3 },
        };

        var read = RoundTrip(drawing);

        var main = Assert.IsType<Circle>(read.Main);
        Assert.Equal(("c", 2.5), (main.Name, main.Radius));
        var second = Assert.IsType<Square>(read.Second);
        Assert.Equal(("s", 3.0), (second.Name, second.Side));
        Assert.Null(read.Missing);

        // Tags follow the ordinal order of the full names: Circle 0, Square 1.
        Assert.Equal(0, ProcessionalSerializer.Serialize<Shape>(new Circle())[0]);
        Assert.Equal(1, ProcessionalSerializer.Serialize<Shape>(new Square())[0]);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task An_unmanaged_struct_is_its_raw_bytes_and_a_struct_with_references_an_object()
    {
        Assert.Equal(Hex("01 00 00 00 02 00 00 00"), ProcessionalSerializer.Serialize(new Point { X = 1, Y = 2 }));

        var labeled = new Labeled { Label = "a", At = new Point { X = 3, Y = 4 } };
        var bytes = ProcessionalSerializer.Serialize(labeled);
        Assert.Equal(Hex("02 FE FF FF FF 01 00 00 00 61 03 00 00 00 04 00 00 00"), bytes);
        var read = ProcessionalSerializer.Deserialize<Labeled>(bytes);
        Assert.Equal(("a", 3, 4), (read.Label, read.At.X, read.At.Y));
        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<Labeled>(Hex("FF")));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Records_positional_and_nominal_with_init_and_required_members_round_trip()
    {
        Assert.Equal(new Money(12.5m, "EUR"), RoundTrip(new Money(12.5m, "EUR")));

        var customer = new Customer(7, "Ada") { Email = "ada@example.org", Country = "UK" };
        Assert.Equal(customer, RoundTrip(customer));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Get_only_members_go_through_the_constructor_and_computed_ones_are_left_out()
    {
        var reading = new Reading(3, 21.5) { Samples = [1, 2, 3] };

        var bytes = ProcessionalSerializer.Serialize(reading);
        var read = ProcessionalSerializer.Deserialize<Reading>(bytes)!;

        Assert.Equal(3, bytes[0]);
        Assert.Equal((3, 21.5), (read.Sensor, read.Value));
        Assert.Equal([1, 2, 3], read.Samples!);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Nested_and_generic_types_closed_two_ways_round_trip()
    {
        Assert.Equal("hi", RoundTrip(new Outer.Inner { Text = "hi" }).Text);
        Assert.Equal(42, RoundTrip(new Box<int> { Value = 42 }).Value);
        Assert.Equal(Hex("01 2A 00 00 00"), ProcessionalSerializer.Serialize(new Box<int> { Value = 42 }));

        var boxed = RoundTrip(new Box<Person> { Value = new Person { Age = 1, Name = "x" } });
        Assert.Equal((1, "x"), (boxed.Value.Age, boxed.Value.Name));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Version_tolerant_objects_skip_unknown_members_and_default_missing_ones()
    {
        var v2 = ProcessionalSerializer.Serialize(new SettingsV2 { A = 5, B = "b", C = 1.5 });

        // Count 3, lengths 4, 9 and 8 as varints, then the members.
        Assert.Equal(Hex("03 04 09 08 05 00 00 00 FE FF FF FF 01 00 00 00 62 00 00 00 00 00 00 F8 3F"), v2);
        var older = ProcessionalSerializer.Deserialize<SettingsV1>(v2)!;
        Assert.Equal((5, "b"), (older.A, older.B));

        var newer = ProcessionalSerializer.Deserialize<SettingsV2>(ProcessionalSerializer.Serialize(new SettingsV1 { A = 6, B = "c" }))!;
        Assert.Equal((6, "c", 0.0), (newer.A, newer.B, newer.C));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_version_tolerant_member_whose_length_lies_is_rejected()
    {
        // Member A claims 3 bytes but an int takes 4.
        var error = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<SettingsV1>(Hex("01 03 05 00 00 00")));

        Assert.Contains("Member A of", error.Message, StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Plain_objects_accept_fewer_members_and_reject_more()
    {
        var newer = ProcessionalSerializer.Deserialize<PlainV2>(ProcessionalSerializer.Serialize(new PlainV1 { A = 9 }))!;
        Assert.Equal((9, 0), (newer.A, newer.B));

        var error = Assert.Throws<ProcessionalSerializationException>(() =>
            ProcessionalSerializer.Deserialize<PlainV1>(ProcessionalSerializer.Serialize(new PlainV2 { A = 1, B = 2 })));
        Assert.Contains("has 1 member, but the input holds 2", error.Message, StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Ignored_members_are_neither_written_nor_read()
    {
        var bytes = ProcessionalSerializer.Serialize(new WithIgnored { Kept = 1, Secret = "s" });

        Assert.Equal(Hex("01 01 00 00 00"), bytes);
        Assert.Null(ProcessionalSerializer.Deserialize<WithIgnored>(bytes)!.Secret);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_get_only_collection_is_filled_with_the_items_read()
    {
        // List<string> has no built-in formatter on this branch yet: this one writes MemoryPack's bytes for it.
        ProcessionalFormatterProvider.TryRegister(new StringListFormatter());
        var tagged = new Tagged { Id = 4 };
        tagged.Tags.AddRange(["a", "b"]);

        var read = RoundTrip(tagged);

        Assert.Equal(4, read.Id);
        Assert.Equal(["a", "b"], read.Tags);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Enums_and_arrays_of_unmanaged_structs_are_raw_bytes()
    {
        var paint = new Paint { Color = Color.Green, Strokes = [new Point { X = 1, Y = 2 }] };

        var bytes = ProcessionalSerializer.Serialize(paint);

        Assert.Equal(Hex("02 02 01 00 00 00 01 00 00 00 02 00 00 00"), bytes);
        var read = ProcessionalSerializer.Deserialize<Paint>(bytes)!;
        Assert.Equal(Color.Green, read.Color);
        Assert.Equal((1, 2), (read.Strokes![0].X, read.Strokes[0].Y));
        return Task.CompletedTask;
    }

    // Not one generic RoundTrip<T>: a call of ProcessionalSerializer with a type parameter gives the generator no type to
    // write a formatter for (PROC104), so each type is named where it is serialized.
    private static Drawing RoundTrip(Drawing value) => ProcessionalSerializer.Deserialize<Drawing>(ProcessionalSerializer.Serialize(value))!;

    private static Money RoundTrip(Money value) => ProcessionalSerializer.Deserialize<Money>(ProcessionalSerializer.Serialize(value))!;

    private static Customer RoundTrip(Customer value) => ProcessionalSerializer.Deserialize<Customer>(ProcessionalSerializer.Serialize(value))!;

    private static Outer.Inner RoundTrip(Outer.Inner value) => ProcessionalSerializer.Deserialize<Outer.Inner>(ProcessionalSerializer.Serialize(value))!;

    private static Box<int> RoundTrip(Box<int> value) => ProcessionalSerializer.Deserialize<Box<int>>(ProcessionalSerializer.Serialize(value))!;

    private static Box<Person> RoundTrip(Box<Person> value) => ProcessionalSerializer.Deserialize<Box<Person>>(ProcessionalSerializer.Serialize(value))!;

    private static Tagged RoundTrip(Tagged value) => ProcessionalSerializer.Deserialize<Tagged>(ProcessionalSerializer.Serialize(value))!;

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>MemoryPack's List&lt;string&gt; bytes: a length, then the strings.</summary>
    private sealed class StringListFormatter : ProcessionalFormatter<List<string>>
    {
        public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref List<string>? value)
        {
            if (value is null)
            {
                writer.WriteNullCollectionHeader();
                return;
            }

            writer.WriteCollectionHeader(value.Count);
            foreach (var item in value)
            {
                writer.WriteString(item);
            }
        }

        public override void Deserialize(ref ProcessionalReader reader, scoped ref List<string>? value)
        {
            if (!reader.TryReadCollectionHeader(out var length))
            {
                value = null;
                return;
            }

            value = new List<string>(length);
            for (var i = 0; i < length; i++)
            {
                value.Add(reader.ReadString()!);
            }
        }
    }
}
