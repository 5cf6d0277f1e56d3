"""course.mds: great-circle distances, classical MDS, Procrustes and the MDS loss."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import course.ad as ad
from course import mds

jax.config.update("jax_enable_x64", True)
R = mds.EARTH_RADIUS_KM


def random_rotation(rng, dim):
    """A random orthogonal matrix (rotation or reflection)."""
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    return Q


def test_haversine_london_paris():
    # the usual quoted great-circle distance is 344 km (343.5 km for a 6371 km sphere)
    assert mds.haversine(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(344.0, rel=0.01)


def test_shipped_cities_london_paris_and_moscow_madrid():
    names, lat, lon = mds.load_cities()
    D = mds.great_circle_distances(lat, lon)
    i = {name: k for k, name in enumerate(names)}
    assert D[i["London"], i["Paris"]] == pytest.approx(344.0, rel=0.01)
    # Moscow-Madrid is quoted as 3440 km; 1 % covers the choice of city centre and radius
    assert D[i["Moscow"], i["Madrid"]] == pytest.approx(3440.0, rel=0.01)


def test_haversine_exact_arcs():
    # equator to pole is a quarter of a great circle, antipodes half of one
    assert mds.haversine(0.0, 0.0, 90.0, 0.0) == pytest.approx(np.pi * R / 2, rel=1e-12)
    # near antipodes h -> 1 and arcsin(sqrt(h)) loses half of the digits: error ~ sqrt(2.2e-16)
    assert mds.haversine(10.0, 20.0, -10.0, -160.0) == pytest.approx(np.pi * R, rel=1e-7)
    # one degree along the equator
    assert mds.haversine(0.0, 0.0, 0.0, 1.0) == pytest.approx(np.pi * R / 180, rel=1e-12)


def test_distance_matrix_is_symmetric_with_zero_diagonal():
    _, lat, lon = mds.load_cities()
    D = mds.great_circle_distances(lat, lon)
    assert 20 <= len(lat) <= 40
    np.testing.assert_allclose(D, D.T, rtol=0, atol=1e-9)
    np.testing.assert_allclose(np.diag(D), 0.0, atol=1e-9)


def test_chord_and_arc_agree():
    # chord = 2 R sin(arc / 2R): the 3-D points and the haversine distances describe one sphere
    _, lat, lon = mds.load_cities()
    X = mds.to_cartesian(lat, lon)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), R, rtol=1e-12)
    chord = np.sqrt(mds.squared_distances(X))
    arc = mds.great_circle_distances(lat, lon)
    np.testing.assert_allclose(chord, 2 * R * np.sin(arc / (2 * R)), rtol=0, atol=1e-8)


def test_azimuthal_equidistant_keeps_distances_from_centre():
    _, lat, lon = mds.load_cities()
    xy = mds.azimuthal_equidistant(lat, lon)
    centre = mds.to_cartesian(lat, lon, 1.0).mean(axis=0)
    c_lat = np.degrees(np.arctan2(centre[2], np.hypot(centre[0], centre[1])))
    c_lon = np.degrees(np.arctan2(centre[1], centre[0]))
    np.testing.assert_allclose(np.linalg.norm(xy, axis=1), mds.haversine(c_lat, c_lon, lat, lon), rtol=1e-10)
    # north stays up: Helsinki is north of Athens, Moscow east of Lisbon
    names, _, _ = mds.load_cities()
    i = {name: k for k, name in enumerate(names)}
    assert xy[i["Helsinki"], 1] > xy[i["Athens"], 1]
    assert xy[i["Moscow"], 0] > xy[i["Lisbon"], 0]


@pytest.mark.parametrize("dim", [2, 3])
def test_classical_mds_recovers_euclidean_configuration(dim):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((15, dim)) * 3.0 + 1.0
    W = mds.classical_mds(mds.squared_distances(X), dim=dim)
    aligned = mds.procrustes_align(W, X)
    assert np.linalg.norm(aligned - X) / np.linalg.norm(X - X.mean(axis=0)) < 1e-10


def test_classical_mds_is_pca_of_the_coordinates():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((12, 3)) * np.array([5.0, 2.0, 0.5])
    W = mds.classical_mds(mds.squared_distances(X), dim=2)
    centred = X - X.mean(axis=0)
    _, _, Vt = np.linalg.svd(centred, full_matrices=False)
    scores = centred @ Vt[:2].T
    signs = np.sign(np.sum(W * scores, axis=0))  # eigenvectors are defined up to sign
    np.testing.assert_allclose(W * signs, scores, rtol=0, atol=1e-10)


def test_double_center_gives_gram_matrix():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((8, 2))
    centred = X - X.mean(axis=0)
    np.testing.assert_allclose(mds.double_center(mds.squared_distances(X)), centred @ centred.T, atol=1e-12)


def test_procrustes_undoes_rotation_reflection_and_shift():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((10, 2))
    moved = X @ random_rotation(rng, 2) + np.array([4.0, -2.0])
    np.testing.assert_allclose(mds.procrustes_align(moved, X), X, atol=1e-12)


def test_mds_loss_value():
    rng = np.random.default_rng(4)
    W = rng.standard_normal((5, 2))
    D = rng.uniform(0.5, 2.0, (5, 5))
    expected = sum((np.sum((W[i] - W[j]) ** 2) - D[i, j]) ** 2 for i in range(5) for j in range(5))
    assert float(mds.mds_loss(W, D)) == pytest.approx(expected, rel=1e-12)


def jax_mds_loss(W, D):
    """Reference: the same loss written independently in JAX."""
    sq = jnp.sum((W[:, None, :] - W[None, :, :]) ** 2, axis=-1)
    return jnp.sum((sq - D) ** 2)


def test_mds_loss_gradient_matches_jax():
    rng = np.random.default_rng(5)
    W = rng.standard_normal((7, 2))
    D = mds.squared_distances(rng.standard_normal((7, 2)))
    ours = ad.grad(mds.mds_loss)(W, D)
    reference = np.asarray(jax.grad(jax_mds_loss)(jnp.asarray(W), jnp.asarray(D)))
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-12)
