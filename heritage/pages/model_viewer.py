"""What a page showing model-viewer (heritage/includes/model_viewer.html) adds to the site's Content-Security-Policy:
the hash of the one style element model-viewer's template puts in its shadow root (fixed for the pinned version in
package-lock.json; a new version has a new hash, and the browser test of the 3D page fails until it is updated), and
'wasm-unsafe-eval' for the WebAssembly mesh decoder it starts (WebAssembly only, never JavaScript's eval)."""
from csp.decorators import csp_update

MODEL_VIEWER_STYLE_HASH = "'sha256-PXtZZkJMMyc18o/DN1ZEFOJ2qEGq95IQbVaJFMOXOb0='"  # @google/model-viewer 4.4.0

allows_model_viewer = csp_update({"style-src": [MODEL_VIEWER_STYLE_HASH], "script-src": ["'wasm-unsafe-eval'"]})
