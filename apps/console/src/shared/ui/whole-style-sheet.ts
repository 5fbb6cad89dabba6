// Ant Design's whole style sheet, made when the package was built (App.tsx, zeroRuntime): a chunk of its own, loaded once the first screen is painted (later-styles.ts).
import 'antd/dist/antd.css';
