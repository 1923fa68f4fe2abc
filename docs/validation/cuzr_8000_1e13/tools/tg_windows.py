# T_g of a quench table by a continuous two-line (hinge) fit over several temperature windows.
import csv, sys
def solve3(A, b):
    # Gaussian elimination on a 3x3 system
    M = [row[:] + [bb] for row, bb in zip(A, b)]
    for i in range(3):
        p = max(range(i, 3), key=lambda k: abs(M[k][i])); M[i], M[p] = M[p], M[i]
        for k in range(i + 1, 3):
            f = M[k][i] / M[i][i]
            for j in range(i, 4): M[k][j] -= f * M[i][j]
    x = [0.0] * 3
    for i in (2, 1, 0):
        x[i] = (M[i][3] - sum(M[i][j] * x[j] for j in range(i + 1, 3))) / M[i][i]
    return x
def hinge(T, Y, lo, hi):
    pts = [(t, y) for t, y in zip(T, Y) if lo <= t <= hi]
    best = None
    b = lo + 100.0
    while b <= hi - 100.0:
        X = [(1.0, min(t - b, 0.0), max(t - b, 0.0)) for t, _ in pts]
        A = [[sum(x[i] * x[j] for x in X) for j in range(3)] for i in range(3)]
        rhs = [sum(x[i] * y for x, (_, y) in zip(X, pts)) for i in range(3)]
        c = solve3(A, rhs)
        rr = sum((c[0] + c[1] * x[1] + c[2] * x[2] - y) ** 2 for x, (_, y) in zip(X, pts))
        if best is None or rr < best[0]: best = (rr, b, c)
        b += 2.0
    return best[1], best[2]
r = list(csv.DictReader(open(sys.argv[1])))
T = [float(x['temperature_K']) for x in r]
V = [1000.0 * float(x['volume_per_atom_nm3']) for x in r]
E = [float(x['potential_energy_eV_per_atom']) for x in r]
print("window_K,Tg_volume_K,Tg_energy_K")
for lo, hi in [(1, 2000), (100, 1600), (300, 1400), (400, 1200), (500, 1300)]:
    bv, _ = hinge(T, V, lo, hi); be, _ = hinge(T, E, lo, hi)
    print(f"{lo}-{hi},{bv:.0f},{be:.0f}")
lowT = [(t, v) for t, v in zip(T, V) if t < 300]
n = len(lowT); st = sum(t for t, _ in lowT); sv = sum(v for _, v in lowT)
stt = sum(t * t for t, _ in lowT); stv = sum(t * v for t, v in lowT)
s = (n * stv - st * sv) / (n * stt - st * st); a = (sv - s * st) / n
print(f"# quench branch below 300 K: V/atom(1 K) = {a + s:.4f} A^3, (1/V) dV/dT = {s / (a + s):.3e} /K (on cooling at 1e13 K/s, not an equilibrium alpha)")
