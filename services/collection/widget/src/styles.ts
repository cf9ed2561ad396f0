/**
 * The widget's styles, inside its shadow root: the host page's CSS cannot reach in, and these cannot leak out.
 * Colours keep text at ≥ 4.5:1 and borders and the focus ring at ≥ 3:1 against white (#0b57d0: 6.4:1, #5f6368: 6:1).
 */
export const widgetCss = `
:host{all:initial}
.w{position:fixed;right:16px;bottom:16px;z-index:2147483000;box-sizing:border-box;width:min(380px,calc(100vw - 32px));
max-height:calc(100vh - 32px);overflow:auto;padding:16px 20px 20px;background:#fff;color:#1f1f1f;border:1px solid #5f6368;
border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.25);font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.w.i{position:relative;right:auto;bottom:auto;width:auto;max-height:none;box-shadow:none}
*{box-sizing:border-box;font:inherit;color:inherit}
fieldset{border:0;margin:0 0 12px;padding:0;min-width:0}
legend,.q{display:block;padding:0 28px 8px 0;font-weight:600}
.scale{display:flex;flex-wrap:wrap;gap:3px}
.scale input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.scale label{flex:1 1 0;min-width:24px;min-height:36px;display:flex;align-items:center;justify-content:center;border:1px solid #5f6368;
border-radius:6px;cursor:pointer;background:#fff}
.scale label:hover{background:#e8f0fe}
.scale input:checked+label{background:#0b57d0;border-color:#0b57d0;color:#fff;font-weight:600}
.scale input:focus-visible+label,button:focus-visible,textarea:focus-visible,.list input:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.ends{display:flex;justify-content:space-between;gap:8px;margin-top:6px;font-size:13px;color:#5f6368}
.list label{display:flex;gap:8px;align-items:center;padding:4px 0}
.list input{margin:0;width:18px;height:18px;accent-color:#0b57d0}
textarea{display:block;width:100%;margin:0 0 12px;padding:8px;border:1px solid #5f6368;border-radius:6px;background:#fff;resize:vertical}
.s{border:0;border-radius:6px;padding:9px 18px;background:#0b57d0;color:#fff;font-weight:600;cursor:pointer}
.x{position:absolute;top:8px;right:8px;width:32px;height:32px;border:0;border-radius:6px;background:none;font-size:22px;line-height:1;cursor:pointer;color:#5f6368}
.e{margin:0 0 8px;color:#b3261e}
.e:empty{display:none}
.t{margin:8px 28px 4px 0;font-weight:600}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px}
@media (prefers-reduced-motion:no-preference){.w{animation:cxin .25s ease-out}@keyframes cxin{from{opacity:0;transform:translateY(12px)}}}
`;
