"""p(sigma_th > sigma_y) = integral of F_y(s) p_th(s) ds (Shang, Guan & Barrat 2018, eq. 9-11) for
mixed inputs: the paper's Table I laws, this case's fitted laws, and this case's thermal-stress
samples (empirical average of F_y over the samples). Plain trapezoid on a fine grid.

    python3 tools/cross_p.py THERMAL_STRESS_CSV [hyperbolic LAMBDA BETA | weibull K SCALE | gaussian MEAN STD]

THERMAL_STRESS_CSV: a calibrate thermal_stress_sigma*.csv (column von_mises_GPa). The optional
law is this case's sigma_y fit; without it only the paper's laws are used for sigma_y.
"""
import csv
import math
import sys


def F_hyperbolic(s, lam, beta):
    return 1.0 - math.exp(lam * (1.0 - math.cosh(s / beta)))


def F_weibull(s, k, scale):
    return 1.0 - math.exp(-((s / scale) ** k))


def F_gaussian(s, mean, std):
    return 0.5 * (1.0 + math.erf((s - mean) / (std * math.sqrt(2.0))))


def lomax_pdf(s, gamma, eta):
    return (gamma / eta) * (1.0 + s / eta) ** (-gamma - 1.0)


def integrate(f, hi, n=400000):
    h = hi / n
    return h * (0.5 * f(0.0) + sum(f(i * h) for i in range(1, n)) + 0.5 * f(hi))


paper_1e13 = {"gamma": 8.15, "eta": 0.72, "lam": 0.10, "beta": 1.61}
samples = [float(r["von_mises_GPa"]) for r in csv.DictReader(open(sys.argv[1]))]
Fy_paper = lambda s: F_hyperbolic(s, paper_1e13["lam"], paper_1e13["beta"])
pth_paper = lambda s: lomax_pdf(s, paper_1e13["gamma"], paper_1e13["eta"])
print("thermal stress,yield stress,p")
print("paper Lomax (8.15 0.72 GPa),paper hyperbolic (0.10 1.61 GPa),%.4g" %
      integrate(lambda s: Fy_paper(s) * pth_paper(s), 60.0))
print("this case (empirical %d samples),paper hyperbolic (0.10 1.61 GPa),%.4g" %
      (len(samples), sum(Fy_paper(s) for s in samples) / len(samples)))
if len(sys.argv) > 2:
    law, a, b = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    Fy = {"hyperbolic": lambda s: F_hyperbolic(s, a, b), "weibull": lambda s: F_weibull(s, a, b),
          "gaussian": lambda s: F_gaussian(s, a, b)}[law]
    print("paper Lomax (8.15 0.72 GPa),this case %s (%g %g),%.4g" %
          (law, a, b, integrate(lambda s: Fy(s) * pth_paper(s), 60.0)))
    print("this case (empirical %d samples),this case %s (%g %g),%.4g" %
          (len(samples), law, a, b, sum(Fy(s) for s in samples) / len(samples)))
