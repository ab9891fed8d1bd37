"""A walking route as GPX 1.1: its line as a track and each stop as a waypoint, named in the page's language."""
import gpxpy.gpx

from core.i18n import localized

from .models import Route


def route_gpx(route: Route, *, link: str) -> str:
    """The route (its stops read with `point`, as `selectors.route_by_slug` gives them) as a GPX 1.1 document."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Thessaloniki GIS portal"
    gpx.name = localized(route, "title")
    gpx.description = localized(route, "description") or None
    gpx.link = link
    for stop in route.stops.all():
        if stop.point is None:
            continue
        gpx.waypoints.append(gpxpy.gpx.GPXWaypoint(
            latitude=round(stop.point.y, 7), longitude=round(stop.point.x, 7),
            name=f"{stop.position}. {localized(stop, 'title')}", description=localized(stop, "text") or None))
    segment = gpxpy.gpx.GPXTrackSegment([gpxpy.gpx.GPXTrackPoint(latitude=round(y, 7), longitude=round(x, 7))
                                         for x, y in route.geom.coords])
    track = gpxpy.gpx.GPXTrack(name=localized(route, "title"))
    track.segments.append(segment)
    gpx.tracks.append(track)
    return gpx.to_xml(version="1.1")
