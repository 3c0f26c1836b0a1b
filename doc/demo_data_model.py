#!/usr/bin/env python3
"""An independent re-implementation of vinylops.generate_demo_data(), in plain Python.

It rebuilds the demo data set from the rules in doc/demo_data.md (no database
involved) and prints what the regression test sql/demo_data.sql prints, so the
test's expected numbers have a second route:

    python3 doc/demo_data_model.py            # default: 4846 streams, seed 42
    python3 doc/demo_data_model.py 20000 7    # any size and seed

Every random number is splitmix64 of (seed, row number, salt); every other step
is integer arithmetic or an IEEE double operation done in the same order as the
SQL, so the rows come out identical, byte for byte.
"""
import datetime
import hashlib
import math
import sys

M64 = (1 << 64) - 1


def splitmix64(z):
    """The splitmix64 output function (src/demo_random.c SplitMix64)."""
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def uniform(seed, n, salt):
    """vinylops.demo_uniform(seed, n, salt)."""
    key = ((salt & 0xFFFFFFFF) << 32) | (seed & 0xFFFFFFFF)
    z = splitmix64((splitmix64(key) + (n & M64)) & M64)
    return (z >> 11) * (1.0 / 9007199254740992.0)


def choice(u, weights):
    """vinylops.demo_choice(u, weights): 1-based index."""
    cum, total = [], 0.0
    for w in weights:
        total += float(w)
        cum.append(total)
    target = u * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if target < cum[mid]:
            hi = mid
        else:
            lo = mid + 1
    while lo > 0 and cum[lo] == cum[lo - 1]:
        lo -= 1
    return lo + 1


REGIONS = ["Toronto", "New York City", "Montreal", "Vancouver", "Los Angeles", "London"]
REGION_WEIGHTS = [514, 515, 530, 494, 504, 546]
PREMIUM_SHARE = [0.53, 0.56, 0.50, 0.49, 0.55, 0.52]
AGE_GROUPS = ["18-24", "25-34", "35-44", "45+"]
AGE_WEIGHTS = [952, 844, 679, 628]
GENRES = ["Classical", "EDM", "Electronic", "Indie Rock", "Jazz", "Lo-fi Hip-Hop", "Pop", "R&B"]
DURATION = [450, 270, 240, 225, 300, 210, 215, 200]
ARTISTS_BEFORE = [0, 8, 17, 26, 35, 43, 51, 60, 69]
TRACKS_BEFORE = [0, 526, 1038, 1501, 1992, 2466, 3049, 3411, 3745]
GENRE_TRACKS = [526, 512, 463, 491, 474, 583, 362, 334]
GENRE_FRENCH = [169, 43, 74, 43, 91, 98, 29, 28]
ARTISTS = [
    "Baroque Collection", "Classical Evening", "Classical Masters", "Orchestra Nova",
    "Orchestra Prime", "Symphony Hall", "Vienna Philharmonic", "Vienna Strings",
    "Bass Cannon", "Bass Drop", "Crystal Method", "Drop It", "Drop The Beat",
    "Festival 2024", "Festival Vibes", "Rave Madness", "Rave Nation",
    "Digital Pulse", "Electric Horizon", "Electro House", "Electronic Sunrise",
    "Neon Pulse", "Synth Wave", "Synthwave Dreams", "Techno Beats", "Techno Pulse",
    "Alternative Edge", "Garage Revolution", "Guitar Heroes", "Indie Collective",
    "Rock Anthem", "Rock Revolution", "The Midnight Collective", "The Rebel Sound",
    "Underground Sound",
    "Bebop Blues", "Cool Jazz", "Jazz Cafe", "Jazz Lounge", "Miles Beyond",
    "Night Saxophone", "Smooth Jazz", "Smooth Jazz Cafe",
    "Chill Beats", "Chill Vibes", "Lofi Dreams", "Lofi Study", "Luna Waves",
    "Midnight Chill", "Study Beats", "Study Lofi",
    "Autumn Hearts", "Chart Topper", "Hit Single", "Pop Revolution", "Pop Sensation",
    "Pop Star", "Radio Hit", "Starlight Echo", "Summer Anthem",
    "R&B Nights", "Smooth Groove", "Smooth Operator", "Smooth Soul", "Soulful",
    "Soulful Nights", "Urban Groove", "Urban Soul", "Velvet Skies",
]
STREAM_GENRE_WEIGHTS = [811, 736, 632, 649, 601, 669, 406, 342]
FRENCH_CHANCE_QUEBEC = [0.5551, 0.2081, 0.2934, 0.2059, 0.3866, 0.3369, 0.1957, 0.1823]
FRENCH_CHANCE_OTHER = [0.3329, 0.0951, 0.1424, 0.0940, 0.2013, 0.1689, 0.0887, 0.0819]
HOUR_WEIGHTS = [225, 220, 235, 127, 111, 120, 145, 134, 152, 140, 304, 304,
                299, 297, 318, 131, 137, 128, 129, 146, 255, 242, 286, 261]
DEVICES = ["Desktop", "Mobile", "Smart Speaker"]
DEVICE_WEIGHTS = [1523, 2178, 1145]
COMPLETION = [0.790, 0.699, 0.861]
REPLAY = [0.186, 0.345, 0.341, 0.157, 0.238, 0.257, 0.131, 0.167]


def user_count(streams):
    if streams <= 0:
        return 0
    if streams <= 4846:
        return (streams * 3103 + 4845) // 4846
    return round(3103 * math.sqrt(streams / 4846.0))


def track_count(streams):
    if streams <= 0:
        return 0
    if streams <= 4846:
        return max(69, (streams * 3745 + 4845) // 4846)
    return round(3745 * math.sqrt(streams / 4846.0))


def width(n, minimum):
    return max(minimum, len(str(n)))


def region(seed, k):
    return choice(uniform(seed, k, 101), REGION_WEIGHTS)


def premium(seed, k, reg):
    return uniform(seed, k, 102) < PREMIUM_SHARE[reg - 1]


def block_start(tracks, g):
    """Tracks before genre g's block (g = 1..9)."""
    return ARTISTS_BEFORE[g - 1] + (tracks - 69) * TRACKS_BEFORE[g - 1] // 3745


def french_tracks(tracks, g):
    size = block_start(tracks, g + 1) - block_start(tracks, g)
    return (size * 2 * GENRE_FRENCH[g - 1] + GENRE_TRACKS[g - 1]) // (2 * GENRE_TRACKS[g - 1])


def users(streams, seed):
    count = user_count(streams)
    w = width(count, 4)
    for k in range(1, count + 1):
        reg = region(seed, k)
        yield ("USER_%0*d" % (w, k), "Premium" if premium(seed, k, reg) else "Free",
               AGE_GROUPS[choice(uniform(seed, k, 103), AGE_WEIGHTS) - 1],
               REGIONS[reg - 1], reg == 3)


def tracks(streams, seed):
    count = track_count(streams)
    if count == 0:
        return
    w = width(count, 4)
    for g in range(1, 9):
        start = block_start(count, g)
        size = block_start(count, g + 1) - start
        french = french_tracks(count, g)
        artists = ARTISTS_BEFORE[g] - ARTISTS_BEFORE[g - 1]
        for i in range(1, size + 1):
            artist = i if i <= artists else 1 + math.floor(uniform(seed, start + i, 201) * artists)
            yield ("TRK_%0*d" % (w, start + i), ARTISTS[ARTISTS_BEFORE[g - 1] + artist - 1],
                   GENRES[g - 1], DURATION[g - 1], i <= french)


def listened(track_sec, impossible, completed, skipped, v):
    if impossible:
        return track_sec + 1 + math.floor(v * track_sec / 3)
    if completed and v < 0.85:
        return track_sec
    if completed:
        return math.floor(track_sec * (0.5 + (v - 0.85) / 0.3))
    if skipped:
        return math.floor(track_sec * (0.15 + 0.65 * v))
    return math.floor(track_sec * (0.05 + 0.85 * v))


def streams_rows(streams, seed):
    nu, nt = user_count(streams), track_count(streams)
    established, newcomers = nu - nu // 5, nu // 5
    day_weights = [(0.85 + 0.3 * uniform(seed, d, 301)) * (1 + 0.1 * d / 181) for d in range(182)]
    starts = [block_start(nt, g) for g in range(1, 10)]
    frenchs = [french_tracks(nt, g) for g in range(1, 9)]
    sw, uw, tw = width(streams, 5), width(nu, 4), width(nt, 4)

    def first_day(k):
        return 0 if k <= established else 182 * (k - established - 1) // newcomers

    def last_day(k):
        if uniform(seed, k, 104) < 0.12:
            return first_day(k) + math.floor(uniform(seed, k, 105) * (182 - first_day(k)))
        return 181

    for n in range(1, streams + 1):
        d = choice((n - 0.5) / streams, day_weights) - 1
        active = established + min(newcomers, ((d + 1) * newcomers + 181) // 182)
        k1 = 1 + math.floor(uniform(seed, n, 1) * active)
        k2 = 1 + math.floor(uniform(seed, n, 15) * active)
        if last_day(k1) >= d:
            k = k1
        elif last_day(k2) >= d:
            k = k2
        else:
            k = 1 + math.floor(uniform(seed, n, 16) * active)
        reg = region(seed, k)
        quebec = reg == 3
        engagement = uniform(seed, k, 106)
        genre = choice(uniform(seed, n, 2), STREAM_GENRE_WEIGHTS)
        hour = choice(uniform(seed, n, 6), HOUR_WEIGHTS) - 1
        second = math.floor(uniform(seed, n, 7) * 3600)
        device = choice(uniform(seed, n, 8), DEVICE_WEIGHTS)
        impossible = uniform(seed, n, 9) < 0.017
        prem = premium(seed, k, reg)
        chance = (FRENCH_CHANCE_QUEBEC if quebec else FRENCH_CHANCE_OTHER)[genre - 1]
        french = uniform(seed, n, 3) < chance
        g_start, g_size, g_french = starts[genre - 1], starts[genre] - starts[genre - 1], frenchs[genre - 1]
        part_start = g_start if french else g_start + g_french
        part_size = g_french if french else g_size - g_french
        track_french = french != (part_size == 0)
        if part_size == 0:
            t = g_start + 1 + math.floor(uniform(seed, n, 4) * g_size)
        else:
            t = part_start + 1 + math.floor(uniform(seed, n, 4) * part_size)
        qf = quebec and track_french
        completed = impossible or uniform(seed, n, 10) < (
            COMPLETION[device - 1] + 0.3 * (engagement - 0.5) + (0.06 if qf else 0.0))
        skipped = (not completed) and uniform(seed, n, 11) < 0.97
        duration = listened(DURATION[genre - 1], impossible, completed, skipped, uniform(seed, n, 12))
        replayed = completed and uniform(seed, n, 13) < (
            REPLAY[genre - 1] * (0.5 + engagement) + (0.08 if qf else 0.0))
        if completed:
            playlist_chance = (0.30 if prem else 0.17) * (0.5 + engagement) + (0.05 if qf else 0.0)
        else:
            playlist_chance = (0.045 if prem else 0.02) * (0.5 + engagement)
        playlist = uniform(seed, n, 14) < playlist_chance
        date = datetime.date(2024, 1, 1) + datetime.timedelta(days=d)
        yield (n, "STR_%s_%0*d" % (date.strftime("%Y%m%d"), sw, n), "USER_%0*d" % (uw, k),
               "TRK_%0*d" % (tw, t), date, "%02d:%02d:%02d" % (hour, second // 60, second % 60),
               hour, DEVICES[device - 1], duration, completed, skipped, replayed, playlist)


def pg_text(v):
    """A value as PostgreSQL's text output writes it (booleans t/f, dates ISO)."""
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, datetime.date):
        return v.isoformat()
    return str(v)


def digest(rows):
    """md5 of the rows' '|'-joined text, one row a line: the test's fingerprint."""
    return hashlib.md5("\n".join("|".join(pg_text(v) for v in r) for r in rows).encode()).hexdigest()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4846
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
    u = sorted(users(n, seed))
    t = sorted(tracks(n, seed))
    s = list(streams_rows(n, seed))
    print("counts users=%d tracks=%d streams=%d" % (len(u), len(t), len(s)))
    print("md5 users   %s" % digest(u))
    print("md5 tracks  %s" % digest(t))
    print("md5 streams %s" % digest(s))
    if not s:
        return
    users_by_id = {r[0]: r for r in u}
    tracks_by_id = {r[0]: r for r in t}

    def pct(part, whole):
        return round(100.0 * part / whole, 1) if whole else None

    print("premium users %%  %s" % pct(sum(r[1] == "Premium" for r in u), len(u)))
    print("quebec users %%   %s" % pct(sum(r[4] for r in u), len(u)))
    print("users with streams %d" % len({r[2] for r in s}))
    imp = sum(r[8] > tracks_by_id[r[3]][3] for r in s)
    print("impossible %d (%s %%)" % (imp, pct(imp, len(s))))
    print("completed %% %s  skipped %% %s  completed = not skipped %% %s" % (
        pct(sum(r[9] for r in s), len(s)), pct(sum(r[10] for r in s), len(s)),
        pct(sum(r[9] != r[10] for r in s), len(s))))
    print("replayed %% %s  playlist %% %s" % (pct(sum(r[11] for r in s), len(s)),
                                           pct(sum(r[12] for r in s), len(s))))
    for q in (False, True):
        mine = [r for r in s if users_by_id[r[2]][4] == q]
        fr = [r for r in mine if tracks_by_id[r[3]][4]]
        print("quebec=%s french stream %% %s, completion on french %% %s" % (
            q, pct(len(fr), len(mine)), pct(sum(r[9] for r in fr), len(fr))))
    hours = [0] * 24
    for r in s:
        hours[r[6]] += 1
    print("hour shares %", [pct(h, len(s)) for h in hours])
    months = {}
    for r in s:
        months[r[4].month] = months.get(r[4].month, 0) + 1
    print("month shares %", [pct(months.get(m, 0), len(s)) for m in range(1, 7)])
    for g in GENRES:
        gt = [r for r in t if r[2] == g]
        gs = [r for r in s if tracks_by_id[r[3]][2] == g]
        print("%-14s tracks %5d french tracks %5d  streams %% %5s  french streams %% %s" % (
            g, len(gt), sum(r[4] for r in gt), pct(len(gs), len(s)),
            pct(sum(tracks_by_id[r[3]][4] for r in gs), len(gs))))


if __name__ == "__main__":
    main()
