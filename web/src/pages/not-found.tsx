import { PageHeader } from '../components/feedback.tsx';

export function NotFoundPage() {
  return (
    <section>
      <PageHeader title="Not found" subtitle="There is no dashboard page at this address." />
      <p>
        <a href="/">Back to the monitors</a>
      </p>
    </section>
  );
}
