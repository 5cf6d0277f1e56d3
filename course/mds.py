"""Multidimensional scaling (MDS) of cities: the lecture's first optimisation problem.

Given a matrix of target squared distances D (N x N), find points W_1..W_N in the
plane whose squared distances match it:

    L(W) = sum_ij (||W_i - W_j||^2 - D_ij)^2.

`mds_loss` is written with `course.ad.numpy`, so `course.ad.grad` differentiates it;
on plain arrays it is an ordinary NumPy function (Nelder-Mead calls it that way).
The rest is the geometry around it: city coordinates, great-circle distances, a map
projection for ground truth, classical MDS and Procrustes alignment.
"""
import csv
import pathlib

import numpy as np

import course.ad.numpy as anp

EARTH_RADIUS_KM = 6371.0  # mean Earth radius
CITIES_CSV = pathlib.Path(__file__).parent / "data" / "cities.csv"


def load_cities(path=CITIES_CSV):
    """Return (names, latitudes, longitudes) of the shipped cities, angles in degrees."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = [row["name"] for row in rows]
    lat = np.array([float(row["latitude"]) for row in rows])
    lon = np.array([float(row["longitude"]) for row in rows])
    return names, lat, lon


def haversine(lat1, lon1, lat2, lon2, radius=EARTH_RADIUS_KM):
    """Great-circle distance between points given in degrees (broadcasts like NumPy).

    The haversine form stays accurate for nearby points, where arccos of a dot
    product close to 1 would lose half of the digits; it loses them instead for
    nearly antipodal points, which a map of one continent does not have.
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi, dlam = phi2 - phi1, np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * radius * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def great_circle_distances(lat, lon, radius=EARTH_RADIUS_KM):
    """Matrix of great-circle distances (km) between all pairs of points."""
    lat, lon = np.asarray(lat), np.asarray(lon)
    return haversine(lat[:, None], lon[:, None], lat[None, :], lon[None, :], radius)


def to_cartesian(lat, lon, radius=EARTH_RADIUS_KM):
    """Points on the sphere as 3-D vectors (km): their chord distances are Euclidean."""
    phi, lam = np.radians(lat), np.radians(lon)
    return radius * np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=-1)


def azimuthal_equidistant(lat, lon, radius=EARTH_RADIUS_KM):
    """Project points to a plane (km, x east, y north) around their mean direction.

    Distances and directions from the centre are kept exactly; other distances are
    stretched, the more so the farther from the centre: no flat map is isometric.
    """
    p = to_cartesian(lat, lon, 1.0)
    centre = p.mean(axis=0)
    centre /= np.linalg.norm(centre)
    east = np.cross([0.0, 0.0, 1.0], centre)
    east /= np.linalg.norm(east)
    north = np.cross(centre, east)
    tangent = p - np.outer(p @ centre, centre)
    tangent_norm = np.linalg.norm(tangent, axis=1)
    angle = np.arctan2(tangent_norm, p @ centre)  # great-circle angle from the centre
    # a point at the centre has no direction; its projection is the origin
    scale = np.divide(radius * angle, tangent_norm, out=np.zeros_like(angle), where=tangent_norm > 0)
    return np.stack([tangent @ east, tangent @ north], axis=1) * scale[:, None]


def squared_distances(W):
    """Matrix of squared Euclidean distances ||W_i - W_j||^2 between the rows of W."""
    diff = anp.expand_dims(W, 1) - anp.expand_dims(W, 0)  # (N, N, dim)
    return anp.sum(diff**2, axis=2)


def mds_loss(W, D):
    """L(W) = sum_ij (||W_i - W_j||^2 - D_ij)^2 with D the target SQUARED distances."""
    residual = squared_distances(W) - D
    return anp.sum(residual**2)


def double_center(D):
    """B = -1/2 J D J with J = I - 11^T/N: the Gram matrix of centred points when D is Euclidean."""
    n = D.shape[0]
    J = np.eye(n) - np.ones((n, n)) / n
    return -0.5 * J @ D @ J


def classical_mds(D, dim=2):
    """Classical (Torgerson) MDS of squared distances D: top eigenvectors of double_center(D).

    If D holds squared distances of centred points X, then double_center(D) = X X^T
    and the result is X in its principal axes, that is, the PCA scores of X.
    """
    eigenvalues, eigenvectors = np.linalg.eigh(double_center(D))
    top = np.argsort(eigenvalues)[::-1][:dim]
    # negative eigenvalues mean D is not Euclidean; those directions get no length
    return eigenvectors[:, top] * np.sqrt(np.maximum(eigenvalues[top], 0.0))


def procrustes_align(W, target):
    """Rotate/reflect and translate W to best match target (least squares, no scaling).

    The MDS loss only sees distances, so any rigid motion of a solution is a solution;
    alignment removes that freedom before layouts are compared.
    """
    W_centred = W - W.mean(axis=0)
    target_mean = target.mean(axis=0)
    U, _, Vt = np.linalg.svd(W_centred.T @ (target - target_mean))
    return W_centred @ (U @ Vt) + target_mean
