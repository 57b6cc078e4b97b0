namespace ChatterWeb.Bench.Scenarios;

/// <summary>The office day's population and traffic, as chosen on the command line.</summary>
public sealed record OfficeDaySettings(
    int People, int Rooms, int DirectRooms, int MaxTabs, double ActiveShare, double MessagesPerMinute,
    double BurstsPerMinute, double BurstRate, double ChurnPerHour, double MentionShare,
    double Duration, double Warmup, double Grace, int Seed, int ConnectParallel)
{
    /// <summary>Seconds of traffic in all: the warm-up, then the measured part.</summary>
    public double Length => Warmup + Duration;
}

/// <summary>
/// Everything the office day will do, worked out before it starts from the settings and their seed
/// alone (the same seed gives the same day): who is in which room, which tabs are open where, and a
/// timetable of tabs opening and closing, typing and messages. Rooms <c>0..OpenRooms-1</c> are open
/// rooms whose sizes fall off as 1/rank (<see cref="RoomSizes"/>); the rest are direct messages.
/// Each person has 1 to MaxTabs tabs, each in one of their rooms; their first is the visible one.
/// Messages come from the visible tabs of the active people (you write where you look), as a
/// Poisson stream, plus bursts: a room where several people look suddenly busy for 3 to 8 seconds.
/// Each message is preceded by typing from the same tab. Churn closes a tab and opens another
/// shortly after, mostly in the same room, now and then in another of the person's rooms.
/// </summary>
public sealed class OfficeDayPlan
{
    /// <summary>A tab posts only once it has been open this long: time for its page, socket and resume.</summary>
    public const double ReadyMargin = 2.0;

    public enum Kind { Open, Typing, Message, Close }

    /// <summary>A tab: whose, in which room, whether it is the person's visible one, and when it opens (negative: open from the start).</summary>
    public readonly record struct Tab(int Person, int Room, bool Visible, double OpenAt);

    /// <summary>A message: when, from which tab, to which room, whom it mentions (-1: nobody), and whether it is part of a burst.</summary>
    public readonly record struct Message(double At, int Tab, int Room, int Mention, bool Burst);

    /// <summary>One step of the timetable; <see cref="Index"/> is a tab (Open, Typing, Close) or a message (Message).</summary>
    public readonly record struct Event(double At, Kind Kind, int Index);

    public required int OpenRooms { get; init; }
    public required IReadOnlyList<int[]> Members { get; init; }
    public required IReadOnlyList<int[]> RoomsOf { get; init; }
    public required IReadOnlyList<Tab> Tabs { get; init; }
    public required int InitialTabs { get; init; }
    public required IReadOnlyList<Message> Messages { get; init; }
    public required IReadOnlyList<Event> Events { get; init; }

    /// <summary>Posts the plan dropped because the person's visible tab had only just opened (or was being replaced).</summary>
    public required int PostsWithoutTab { get; init; }

    /// <summary>
    /// Open rooms' sizes by rank: <c>people / rank</c>, at least 3 (or everyone, when fewer), so the
    /// first room holds everyone, a few hold a thousand or more of 2,000, and most hold under 20.
    /// </summary>
    public static int[] RoomSizes(int people, int rooms) =>
        [.. Enumerable.Range(1, rooms).Select(rank => Math.Min(people, Math.Max(3, (int)Math.Round(people / (double)rank))))];

    private enum Step { Post, BurstStart, BurstPost, Churn, Open }

    private readonly record struct Pending(Step Step, int A = 0, int B = 0, bool Visible = false);

    public static OfficeDayPlan Build(OfficeDaySettings s)
    {
        var rng = new Random(s.Seed);
        var everyone = Enumerable.Range(0, s.People).ToArray();
        var members = RoomSizes(s.People, s.Rooms).Select(size => Sample(rng, everyone, size)).ToList();
        var groups = new HashSet<string>(StringComparer.Ordinal);
        for (var d = 0; d < s.DirectRooms && s.People >= 2; d++)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var size = Math.Min(s.People, rng.NextDouble() < 0.7 ? 2 : rng.Next(3, 6));
                var group = Sample(rng, everyone, size);
                if (groups.Add(string.Join(',', group.Order())))
                {
                    members.Add(group);
                    break;
                }
            }
        }
        var roomsOf = everyone.Select(_ => new List<int>()).ToArray();
        for (var r = 0; r < members.Count; r++)
        {
            foreach (var p in members[r])
                roomsOf[p].Add(r);
        }

        var tabs = new List<Tab>();
        var openTabs = everyone.Select(_ => new List<int>()).ToArray();
        var visibleTab = new int[s.People];
        var visibleIn = members.Select(_ => new List<int>()).ToArray();
        foreach (var p in everyone)
        {
            var count = 1 + rng.Next(s.MaxTabs);
            for (var k = 0; k < count; k++)
            {
                var tab = new Tab(p, roomsOf[p][rng.Next(roomsOf[p].Count)], k == 0, -ReadyMargin);
                openTabs[p].Add(tabs.Count);
                if (tab.Visible)
                {
                    visibleTab[p] = tabs.Count;
                    visibleIn[tab.Room].Add(tabs.Count);
                }
                tabs.Add(tab);
            }
        }
        var initialTabs = tabs.Count;
        var active = Sample(rng, everyone, (int)Math.Round(s.People * s.ActiveShare));

        var messages = new List<Message>();
        var events = new List<Event>();
        var dropped = 0;
        var queue = new PriorityQueue<Pending, (double, long)>();
        var order = 0L;
        void At(double t, Pending p) => queue.Enqueue(p, (t, order++));
        double Gap(double perSecond) => -Math.Log(1 - rng.NextDouble()) / perSecond;
        var postRate = active.Length * s.MessagesPerMinute / 60;
        var burstRate = s.BurstsPerMinute / 60;
        var churnRate = s.People * s.ChurnPerHour / 3600;
        if (postRate > 0) At(Gap(postRate), new Pending(Step.Post));
        if (burstRate > 0 && s.BurstRate > 0) At(Gap(burstRate), new Pending(Step.BurstStart));
        if (churnRate > 0) At(Gap(churnRate), new Pending(Step.Churn));

        bool Ready(int tab, double t) => tab >= 0 && tabs[tab].OpenAt <= t - ReadyMargin;

        void Post(int tab, double t, bool burst)
        {
            if (!Ready(tab, t))
            {
                dropped++;
                return;
            }
            var (person, room) = (tabs[tab].Person, tabs[tab].Room);
            var mention = -1;
            if (members[room].Length > 1 && rng.NextDouble() < s.MentionShare)
            {
                while (mention < 0 || mention == person)
                    mention = members[room][rng.Next(members[room].Length)];
            }
            var lead = burst ? 0.2 + rng.NextDouble() * 0.6 : 0.5 + rng.NextDouble() * 2.5;
            if (t - lead >= 0 && tabs[tab].OpenAt <= t - lead)
                events.Add(new Event(t - lead, Kind.Typing, tab));
            events.Add(new Event(t, Kind.Message, messages.Count));
            messages.Add(new Message(t, tab, room, mention, burst));
        }

        while (queue.TryDequeue(out var step, out var key) && key.Item1 < s.Length)
        {
            var t = key.Item1;
            switch (step.Step)
            {
                case Step.Post:
                    Post(visibleTab[active[rng.Next(active.Length)]], t, burst: false);
                    At(t + Gap(postRate), step);
                    break;
                case Step.BurstStart:
                {
                    var lookers = visibleIn.SelectMany(v => v).Where(tab => Ready(tab, t)).ToList();
                    if (lookers.Count > 0)
                    {
                        var room = tabs[lookers[rng.Next(lookers.Count)]].Room;
                        if (visibleIn[room].Count(tab => Ready(tab, t)) >= 2)
                        {
                            var posts = (int)((3 + rng.NextDouble() * 5) * s.BurstRate);
                            for (var k = 0; k < posts; k++)
                                At(t + (k + rng.NextDouble() * 0.9) / s.BurstRate, new Pending(Step.BurstPost, room));
                        }
                    }
                    At(t + Gap(burstRate), step);
                    break;
                }
                case Step.BurstPost:
                {
                    var lookers = visibleIn[step.A].Where(tab => Ready(tab, t)).ToList();
                    if (lookers.Count > 0)
                        Post(lookers[rng.Next(lookers.Count)], t, burst: true);
                    break;
                }
                case Step.Churn:
                {
                    var person = rng.Next(s.People);
                    if (openTabs[person].Count > 0)
                    {
                        var tab = openTabs[person][rng.Next(openTabs[person].Count)];
                        openTabs[person].Remove(tab);
                        var (room, visible) = (tabs[tab].Room, tabs[tab].Visible);
                        if (visible)
                        {
                            visibleIn[room].Remove(tab);
                            visibleTab[person] = -1;
                        }
                        events.Add(new Event(t, Kind.Close, tab));
                        var next = rng.NextDouble() < 0.6 ? room : roomsOf[person][rng.Next(roomsOf[person].Count)];
                        At(t + 0.2 + rng.NextDouble() * 2.8, new Pending(Step.Open, person, next, visible));
                    }
                    At(t + Gap(churnRate), step);
                    break;
                }
                case Step.Open:
                {
                    var tab = tabs.Count;
                    tabs.Add(new Tab(step.A, step.B, step.Visible, t));
                    openTabs[step.A].Add(tab);
                    if (step.Visible)
                    {
                        visibleTab[step.A] = tab;
                        visibleIn[step.B].Add(tab);
                    }
                    events.Add(new Event(t, Kind.Open, tab));
                    break;
                }
            }
        }

        events.Sort((x, y) => x.At != y.At ? x.At.CompareTo(y.At) : x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind) : x.Index.CompareTo(y.Index));
        return new OfficeDayPlan
        {
            OpenRooms = s.Rooms,
            Members = members,
            RoomsOf = [.. roomsOf.Select(r => r.ToArray())],
            Tabs = tabs,
            InitialTabs = initialTabs,
            Messages = messages,
            Events = events,
            PostsWithoutTab = dropped,
        };
    }

    /// <summary><paramref name="count"/> distinct items of <paramref name="from"/>, in random order (a partial Fisher-Yates shuffle).</summary>
    private static int[] Sample(Random rng, int[] from, int count)
    {
        var pool = (int[])from.Clone();
        count = Math.Min(count, pool.Length);
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.Next(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }
}
