// Placeholder until this page lands (issue 7); replaced by the page's own module.
import { notice } from '../ui';

export default function page(root: HTMLElement): void {
  root.appendChild(notice('warn', 'schedules: not built yet'));
}
