// Map of search results (MapLibre GL), a progressive enhancement of the search page: the list of results
// beside it is the accessible alternative, and without JavaScript (or WebGL) the empty container stays hidden.
// No external server is needed: the régions and départements drawn from a GeoJSON file Maillage serves itself
// (data-contours, a hashed asset), clusters computed by the server (/api/v1/carte/clusters), and cluster counts
// drawn as images on a canvas (no glyph server). A vector tile style replaces the contours as base layer when
// the server is configured with one (MAP_STYLE_URL → data-style).
import {
  Map as MapLibreMap,
  NavigationControl,
  Popup,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LngLatBoundsLike,
  type MapGeoJSONFeature,
  type StyleSpecification,
} from 'maplibre-gl';

const FRANCE: LngLatBoundsLike = [
  [-5.3, 41.3],
  [9.7, 51.15],
];
const API_MAX_ZOOM = 20;
const BRAND = '#0b5563';
const ACCENT = '#9a3412';
const BACKGROUND = '#dde7eb';
const LAND = '#f8f7f2';
const SOURCE = 'resultats';

const FRENCH_UI: Record<string, string> = {
  'AttributionControl.ToggleAttribution': 'Afficher ou masquer les crédits',
  'AttributionControl.MapFeedback': 'Signaler une erreur de carte',
  'FullscreenControl.Enter': 'Plein écran',
  'FullscreenControl.Exit': 'Quitter le plein écran',
  'GeolocateControl.FindMyLocation': 'Me localiser',
  'GeolocateControl.LocationNotAvailable': 'Position indisponible',
  'LogoControl.Title': 'Logo MapLibre',
  'Map.Title': 'Carte interactive : flèches pour se déplacer, + et − pour zoomer',
  'Marker.Title': 'Repère',
  'NavigationControl.ResetBearing': 'Réorienter vers le nord',
  'NavigationControl.ZoomIn': 'Zoom avant',
  'NavigationControl.ZoomOut': 'Zoom arrière',
  'Popup.Close': 'Fermer',
  'ScaleControl.Feet': 'ft',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
  'ScaleControl.Miles': 'mi',
  'ScaleControl.NauticalMiles': 'nm',
  'GlobeControl.Enable': 'Afficher le globe',
  'GlobeControl.Disable': 'Afficher la carte plane',
  'TerrainControl.Enable': 'Afficher le relief',
  'TerrainControl.Disable': 'Masquer le relief',
  'CooperativeGesturesHandler.WindowsHelpText': 'Ctrl + molette pour zoomer',
  'CooperativeGesturesHandler.MacHelpText': '⌘ + molette pour zoomer',
  'CooperativeGesturesHandler.MobileHelpText': 'Deux doigts pour déplacer la carte',
};

interface ClusterProperties {
  cluster: true;
  nombre: number;
  cluster_id: number;
  zoom_expansion: number;
  libelle?: string;
}
interface PointProperties {
  id: number;
  nom: string;
  url: string;
}
type Collection = GeoJSON.FeatureCollection<GeoJSON.Point, ClusterProperties | PointProperties>;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** 12, 1 234 → « 1,2 k », 35 012 → « 35 k »: short enough for a circle. */
function abbreviate(count: number): string {
  if (count < 1000) return String(count);
  if (count < 10_000) return `${(Math.round(count / 100) / 10).toLocaleString('fr-FR')} k`;
  return `${Math.round(count / 1000).toLocaleString('fr-FR')} k`;
}

/** The label of a cluster, drawn on a canvas: white bold figures, for a layer that needs no glyphs. */
function drawLabel(text: string, pixelRatio: number): ImageData | undefined {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  const font = `700 ${12 * pixelRatio}px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif`;
  context.font = font;
  canvas.width = Math.ceil(context.measureText(text).width + 4 * pixelRatio);
  canvas.height = Math.ceil(16 * pixelRatio);
  context.font = font; // resizing the canvas resets its state
  context.fillStyle = '#fff';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(text, canvas.width / 2, canvas.height / 2 + pixelRatio / 2);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** The base layer: the tile style of MAP_STYLE_URL, else France's régions and départements (under the points). */
function baseStyle(styleUrl: string | undefined, contoursUrl: string | undefined): string | StyleSpecification {
  if (styleUrl) return styleUrl;
  const layers: StyleSpecification['layers'] = [{ id: 'fond', type: 'background', paint: { 'background-color': BACKGROUND } }];
  if (!contoursUrl) return { version: 8, sources: {}, layers };
  const level = (niveau: string) => ['==', ['get', 'niveau'], niveau] as ['==', ['get', string], string];
  return {
    version: 8,
    // An absolute URL: the worker that fetches it has its own base.
    sources: { contours: { type: 'geojson', data: new URL(contoursUrl, window.location.href).href } },
    layers: [
      ...layers,
      { id: 'departements', type: 'fill', source: 'contours', filter: level('departement'), paint: { 'fill-color': LAND } },
      { id: 'departements-limites', type: 'line', source: 'contours', filter: level('departement'), paint: { 'line-color': '#bcc7cd', 'line-width': 0.6 } },
      { id: 'regions-limites', type: 'line', source: 'contours', filter: level('region'), paint: { 'line-color': '#7f909a', 'line-width': 1.2 } },
    ],
  };
}

function addLayers(map: MapLibreMap): void {
  map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: 'grappes',
    type: 'circle',
    source: SOURCE,
    filter: ['has', 'cluster'],
    paint: {
      'circle-color': BRAND,
      'circle-opacity': 0.9,
      'circle-radius': ['step', ['get', 'nombre'], 13, 10, 16, 100, 20, 1000, 25, 10_000, 30],
      'circle-stroke-color': '#fff',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: 'grappes-nombre',
    type: 'symbol',
    source: SOURCE,
    filter: ['has', 'cluster'],
    layout: {
      'icon-image': ['concat', 'compte:', ['get', 'libelle']],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
  });
  map.addLayer({
    id: 'points',
    type: 'circle',
    source: SOURCE,
    filter: ['!', ['has', 'cluster']],
    paint: { 'circle-color': ACCENT, 'circle-radius': 6, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
  });
}

/** The records under the pointer (several when they share a place), as links in a popup. */
function pointsPopup(features: MapGeoJSONFeature[]): HTMLElement {
  const container = document.createElement('div');
  container.className = 'map-popup';
  const seen = new Set<string>();
  const list = document.createElement('ul');
  for (const feature of features) {
    const properties = feature.properties as PointProperties;
    if (seen.has(properties.url)) continue;
    seen.add(properties.url);
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = properties.url;
    link.textContent = properties.nom;
    item.append(link);
    list.append(item);
  }
  if (seen.size > 1) {
    const heading = document.createElement('p');
    heading.textContent = `${seen.size} fiches à cet endroit :`;
    container.append(heading);
  }
  container.append(list);
  return container;
}

function start(element: HTMLElement): void {
  const kind = element.dataset.kind === 'organisations' ? 'organisations' : 'cooperations';
  const query = element.dataset.query ?? '';
  if (element.dataset.worker) setWorkerUrl(element.dataset.worker);

  let map: MapLibreMap;
  try {
    map = new MapLibreMap({
      container: element,
      style: baseStyle(element.dataset.style, element.dataset.contours),
      bounds: FRANCE,
      fitBoundsOptions: { padding: 12 },
      minZoom: 1,
      maxZoom: 18,
      renderWorldCopies: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      attributionControl: element.dataset.style ? { compact: true } : false,
      locale: FRENCH_UI,
    });
  } catch (error) {
    // No WebGL: the list of results stays the way to read them.
    element.replaceChildren();
    console.warn('Carte indisponible :', error);
    return;
  }
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');

  map.setMissingStyleImageResolver((id) => {
    if (!id.startsWith('compte:') || map.hasImage(id)) return;
    const pixelRatio = Math.max(1, Math.round(window.devicePixelRatio || 1));
    const image = drawLabel(id.slice('compte:'.length), pixelRatio);
    if (image) map.addImage(id, image, { pixelRatio });
  });

  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function refresh(): Promise<void> {
    controller?.abort();
    controller = new AbortController();
    const current = controller;
    const bounds = map.getBounds();
    // A margin around the view, so that a small move does not show empty edges before the next answer.
    const marginLng = (bounds.getEast() - bounds.getWest()) * 0.2;
    const marginLat = (bounds.getNorth() - bounds.getSouth()) * 0.2;
    const west = clamp(bounds.getWest() - marginLng, -180, 180);
    const east = clamp(bounds.getEast() + marginLng, -180, 180);
    const south = clamp(bounds.getSouth() - marginLat, -85, 85);
    const north = clamp(bounds.getNorth() + marginLat, -85, 85);
    if (!(west < east && south < north)) return;
    const params = new URLSearchParams(query);
    params.set('type', kind);
    params.set('bbox', [west, south, east, north].map((value) => value.toFixed(5)).join(','));
    params.set('zoom', String(clamp(Math.floor(map.getZoom()), 0, API_MAX_ZOOM)));
    try {
      const response = await fetch(`/api/v1/carte/clusters?${params}`, { signal: current.signal, headers: { accept: 'application/geo+json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const collection = (await response.json()) as Collection;
      for (const feature of collection.features) {
        const properties = feature.properties;
        if ('cluster' in properties) properties.libelle = abbreviate(properties.nombre);
      }
      if (current.signal.aborted) return;
      (map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData(collection);
    } catch (error) {
      if ((error as Error).name !== 'AbortError') console.warn('Regroupements indisponibles :', error);
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 150);
  };

  map.on('load', () => {
    addLayers(map);
    // The layers drawn, bottom to top: what a reader of the page (or a test) can check of the canvas.
    element.dataset.couches = map
      .getStyle()
      .layers.map((layer) => layer.id)
      .join(' ');
    void refresh();
  });
  map.on('moveend', schedule);

  map.on('click', 'grappes', (event) => {
    const feature = event.features?.[0];
    if (feature?.geometry.type !== 'Point') return;
    const properties = feature.properties as ClusterProperties;
    map.easeTo({
      center: feature.geometry.coordinates as [number, number],
      zoom: Math.min(Math.max(properties.zoom_expansion, map.getZoom() + 1), map.getMaxZoom()),
    });
  });
  map.on('click', 'points', (event) => {
    const features = map.queryRenderedFeatures(event.point, { layers: ['points'] });
    const first = features[0];
    if (first?.geometry.type !== 'Point') return;
    new Popup({ maxWidth: '20rem' })
      .setLngLat(first.geometry.coordinates as [number, number])
      .setDOMContent(pointsPopup(features))
      .addTo(map);
  });
  for (const layer of ['grappes', 'points']) {
    map.on('mouseenter', layer, () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', layer, () => {
      map.getCanvas().style.cursor = '';
    });
  }
}

const element = document.getElementById('carte');
if (element) start(element);
